import PharosCore
import Testing

@testable import PharosCodec

/// Damaged chunk bytes must throw (or decode to something), never crash, and leave the arrays untouched on error.
@Suite struct ChunkCorruptionTests {
    static func sampleChunk(seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let count = 600
        var now: Int64 = 1_699_920_000_000
        var level = 0.0
        var timestamps: [Int64] = []
        var values: [Double] = []
        for index in 0..<count {
            now += seed % 2 == 0 ? 10_000 : Int64.random(in: 9_990...10_010, using: &random)
            switch seed % 3 {
            case 0: level += Double(Int.random(in: -50...50, using: &random)) / 100
            case 1: if Bool.random(using: &random) { level += 4096 }
            default: level = Double.random(in: -1...1, using: &random)  // xor fallback
            }
            timestamps.append(now)
            values.append(index == 0 ? 0.5 : level)
        }
        var writer = ByteWriter()
        ChunkEncoder.encode(timestamps: timestamps, values: values, into: &writer)
        return writer.bytes
    }

    /// Decodes `bytes` and checks the no-crash, all-or-nothing contract; returns whether it decoded.
    static func decodeChecked(_ bytes: [UInt8]) -> Bool {
        var timestamps: [Int64] = [7]
        var values: [Double] = [7]
        do {
            let used = try bytes.withUnsafeBytes { try ChunkDecoder.decode($0, timestamps: &timestamps, values: &values) }
            #expect(used <= bytes.count)
            #expect(timestamps.count == values.count)
            return true
        } catch {
            #expect(timestamps == [7] && values == [7], "arrays changed on \(error)")
            return false
        }
    }

    @Test(arguments: [UInt64(0), 1, 2, 3, 4, 5])
    func everyTruncationThrows(seed: UInt64) throws {
        let chunk = Self.sampleChunk(seed: seed)
        #expect(Self.decodeChecked(chunk))
        for length in 0..<chunk.count {
            #expect(!Self.decodeChecked(Array(chunk[0..<length])), "prefix of \(length) bytes decoded")
        }
    }

    @Test(arguments: [UInt64(0), 1, 2, 3, 4, 5])
    func randomMutationsNeverCrash(seed: UInt64) {
        let chunk = Self.sampleChunk(seed: seed)
        var random = SplitMix64(seed: seed &+ 1000)
        for _ in 0..<2000 {
            var mutated = chunk
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<mutated.count, using: &random)
                if Bool.random(using: &random) {
                    mutated[index] = UInt8.random(in: 0...255, using: &random)
                } else {
                    mutated[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
                }
            }
            _ = Self.decodeChecked(mutated)
        }
    }

    @Test func headerErrorsSayWhy() throws {
        let chunk = Self.sampleChunk(seed: 0)
        var badVersion = chunk
        badVersion[0] = 9
        #expect(throws: CodecError.unsupportedVersion(9)) { try badVersion.withUnsafeBytes { try ChunkDecoder.header($0) } }
        var badEncoding = chunk
        badEncoding[1] = 0x77
        #expect(throws: CodecError.unsupportedEncoding(0x77)) { try badEncoding.withUnsafeBytes { try ChunkDecoder.header($0) } }
        let zeroCount: [UInt8] = [1, 0x12, 0, 0]
        #expect(throws: CodecError.corrupt("chunk at offset 0 has 0 points, outside 1…8192")) {
            try zeroCount.withUnsafeBytes { try ChunkDecoder.header($0) }
        }
        #expect(CodecError.unsupportedVersion(9).description == "unsupported format version 9: written by a newer Pharos or damaged")
    }
}
