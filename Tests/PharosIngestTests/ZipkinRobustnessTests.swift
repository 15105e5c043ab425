import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin decoders on damaged input")
struct ZipkinRobustnessTests {
    /// Every prefix and thousands of seeded byte mutations either decode or throw; nothing traps.
    @Test func truncatedAndMutatedJSONNeverCrash() {
        var rng = SplitMix64(seed: 2024)
        let body = Array(zipkinJSON(randomZipkinSpans(count: 6, seed: 5)).utf8)
        for n in 0..<body.count { _ = try? ZipkinJSONV2Decoder.decode(Array(body.prefix(n))) }
        let alphabet = Array("{}[]\":,\\0123456789-eE.tfnul \u{0}\u{80}\u{ff}".utf8)
        for _ in 0..<3000 {
            var m = body
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<m.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: m[i] = alphabet.randomElement(using: &rng)!
                case 1: m.remove(at: i)
                default: m.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            _ = try? ZipkinJSONV2Decoder.decode(m)
        }
    }

    @Test func truncatedAndMutatedProtoNeverCrash() {
        var rng = SplitMix64(seed: 77)
        let body = ZipkinProto3TestEncoder.encode(randomZipkinSpans(count: 6, seed: 6))
        for n in 0..<body.count { _ = try? ZipkinProto3Decoder.decode(Array(body.prefix(n))) }
        for _ in 0..<5000 {
            var m = body
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? ZipkinProto3Decoder.decode(m)
        }
        for _ in 0..<2000 {
            _ = try? ZipkinProto3Decoder.decode(
                (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    @Test func hugeLengthPrefixesAreTruncationErrors() {
        let body: [UInt8] = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]
        #expect(throws: ZipkinDecodingError.self) { try ZipkinProto3Decoder.decode(body) }
        let overlong: [UInt8] = [0x0A] + [UInt8](repeating: 0xFF, count: 11)
        #expect(throws: ZipkinDecodingError.self) { try ZipkinProto3Decoder.decode(overlong) }
    }
}
