import Testing

@testable import PharosCodec

/// The on-disk chunk format, byte for byte. If one of these fails you changed the format: bump the version
/// byte (`ChunkFormat.version`), keep a decoder for the old version, and only then update the hex here.
@Suite struct ChunkGoldenTests {
    static func hex(_ timestamps: [Int64], _ values: [Double]) -> String {
        var writer = ByteWriter()
        ChunkEncoder.encode(timestamps: timestamps, values: values, into: &writer)
        return writer.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    static let cases: [(name: String, timestamps: [Int64], values: [Double], hex: String)] = [
        ("one point", [1_000], [1], "0111010bd00f00000000000000f03f"),
        ("constant step, decimal gauge", [10_000, 20_000, 30_000, 40_000], [0.25, 0.5, 0.25, 1.75], "0112040ea09c01b0ea010232190040000d04"),
        ("irregular timestamps, counter", [1_000, 2_000, 4_000, 5_000, 9_000], [4096, 8192, 8192, 12288, 40960], "01220515d00fc03ee807014000a5100080408020014100dd18"),
        ("xor fallback", [-5, 7], [0.1 + 0.2, -0.0], "01130214090c343333333333d33f037d333333333333fd0b"),
    ]

    @Test(arguments: 0..<cases.count)
    func goldenBytes(index: Int) throws {
        let golden = Self.cases[index]
        #expect(Self.hex(golden.timestamps, golden.values) == golden.hex, "\(golden.name): bump the version byte")
        var timestamps: [Int64] = []
        var values: [Double] = []
        try Self.bytes(golden.hex).withUnsafeBytes { raw in
            _ = try ChunkDecoder.decode(raw, timestamps: &timestamps, values: &values)
        }
        #expect(timestamps == golden.timestamps)
        #expect(values.map(\.bitPattern) == golden.values.map(\.bitPattern))
    }
}
