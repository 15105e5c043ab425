import PharosCore
import Testing

@testable import PharosCodec

@Suite struct CRC32CTests {
    /// Check values from RFC 3720 (iSCSI) appendix B.4 and the CRC catalogue ("123456789").
    static let vectors: [([UInt8], UInt32)] = [
        (Array("123456789".utf8), 0xE306_9283),
        ([], 0),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ((0..<32).map { UInt8($0) }, 0x46DD_794E),
        ((0..<32).map { UInt8(31 - $0) }, 0x113F_DB5C),
    ]

    @Test(arguments: vectors)
    func knownVectors(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
        #expect(bytes.withUnsafeBytes { CRC32C.checksum($0) } == expected)
    }

    @Test func chainingEqualsOneShotAtEverySplit() {
        var random = SplitMix64(seed: 7)
        let bytes = (0..<301).map { _ in UInt8.random(in: 0...255, using: &random) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 64, 150, 300, 301] {
            let chained = CRC32C.checksum(bytes[split...], seed: CRC32C.checksum(bytes[..<split]))
            #expect(chained == whole, "split at \(split)")
        }
    }

    @Test func slicedPathMatchesBytewiseReference() {
        var random = SplitMix64(seed: 11)
        for length in [1, 7, 8, 15, 16, 17, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc & 1) == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            #expect(CRC32C.checksum(bytes) == ~crc, "length \(length)")
        }
    }
}
