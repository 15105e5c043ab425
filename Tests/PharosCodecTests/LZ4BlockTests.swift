import PharosCore
import Testing

@testable import PharosCodec

@Suite struct LZ4BlockTests {
    static func sample(_ kind: Int) -> [UInt8] {
        var random = SplitMix64(seed: UInt64(kind))
        switch kind {
        case 0: return []
        case 1: return [42]
        case 2: return Array(String(repeating: "put node_load1 1699920000 0.42 host=host-0001\n", count: 200).utf8)
        default: return (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    @Test(arguments: 0..<4)
    func roundTrip(kind: Int) throws {
        let source = Self.sample(kind)
        var writer = ByteWriter()
        writer.writeUInt8(0xAA)  // compress appends after existing bytes
        let written = source.withUnsafeBytes { LZ4Block.compress($0, into: &writer) }
        #expect(written == writer.count - 1)
        #expect(written <= LZ4Block.maxCompressedCount(source.count))
        if kind == 2 { #expect(written < source.count / 10) }
        let compressed = Array(writer.bytes.dropFirst())
        let restored = try compressed.withUnsafeBytes { try LZ4Block.decompress($0, decompressedSize: source.count) }
        #expect(restored == source)
    }

    @Test func wrongSizeOrGarbageThrowsNeverCrashes() throws {
        let source = Self.sample(2)
        var writer = ByteWriter()
        source.withUnsafeBytes { _ = LZ4Block.compress($0, into: &writer) }
        let compressed = writer.bytes
        compressed.withUnsafeBytes { raw in
            #expect(throws: CodecError.self) { try LZ4Block.decompress(raw, decompressedSize: source.count - 1) }
            #expect(throws: CodecError.self) { try LZ4Block.decompress(raw, decompressedSize: source.count + 1) }
            #expect(throws: CodecError.self) { try LZ4Block.decompress(UnsafeRawBufferPointer(rebasing: raw[0..<10]), decompressedSize: source.count) }
        }
        #expect(throws: CodecError.corrupt("LZ4 block is empty")) {
            try [UInt8]().withUnsafeBytes { try LZ4Block.decompress($0, decompressedSize: 4) }
        }
        var random = SplitMix64(seed: 99)
        for _ in 0..<200 {
            var mutated = compressed
            for _ in 0..<3 { mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            let result = try? mutated.withUnsafeBytes { try LZ4Block.decompress($0, decompressedSize: source.count) }
            if let result { #expect(result.count == source.count) }
        }
    }

    @Test func destinationTooSmallThrows() {
        var writer = ByteWriter()
        Self.sample(2).withUnsafeBytes { _ = LZ4Block.compress($0, into: &writer) }
        var small = [UInt8](repeating: 0, count: 10)
        _ = writer.withUnsafeBytes { raw in
            small.withUnsafeMutableBytes { destination in
                #expect(throws: CodecError.self) { try LZ4Block.decompress(raw, decompressedSize: 9200, into: destination) }
            }
        }
    }
}
