import Testing

@testable import PharosCodec

@Suite struct ByteIOTests {
    static let varintCases: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varintCases)
    func varintBytesAndRoundTrip(value: UInt64, expected: [UInt8]) throws {
        var writer = ByteWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == expected)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readVarint() == value)
        #expect(reader.remaining == 0)
        #expect(reader.offset == expected.count)
    }

    @Test(arguments: [Int64(0), -1, 1, -2, 2, 63, -64, 64, Int64.max, Int64.min, Int64.min + 1, 1 << 62, -(1 << 62)])
    func zigzagRoundTrip(value: Int64) throws {
        var writer = ByteWriter()
        writer.writeZigZag(value)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readZigZag() == value)
    }

    @Test func zigzagMapsSmallMagnitudesToSmallNumbers() {
        #expect([Int64(0), -1, 1, -2, 2].map(ZigZag.encode) == [0, 1, 2, 3, 4])
        #expect(ZigZag.encode(Int64.min) == UInt64.max)
        #expect(ZigZag.encode(Int64.max) == UInt64.max - 1)
    }

    @Test func fixedWidthIntegersAreLittleEndianExceptBE() throws {
        var writer = ByteWriter()
        writer.writeUInt8(0xAB)
        writer.writeUInt16LE(0x0102)
        writer.writeUInt32LE(0x0304_0506)
        writer.writeUInt32BE(0x0708_090A)
        writer.writeUInt64LE(0x1112_1314_1516_1718)
        writer.writeBytes([0xEE, 0xFF])
        #expect(
            writer.bytes == [
                0xAB, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x07, 0x08, 0x09, 0x0A,
                0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11, 0xEE, 0xFF,
            ])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8() == 0xAB)
        #expect(try reader.readUInt16LE() == 0x0102)
        #expect(try reader.readUInt32LE() == 0x0304_0506)
        #expect(try reader.readUInt32BE() == 0x0708_090A)
        #expect(try reader.readUInt64LE() == 0x1112_1314_1516_1718)
        #expect(try reader.readByteArray(2) == [0xEE, 0xFF])
        #expect(throws: CodecError.truncated(offset: 21, needed: 1, remaining: 0)) { try reader.readUInt8() }
    }

    @Test func readPastEndThrowsAndDoesNotConsume() throws {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: CodecError.truncated(offset: 0, needed: 4, remaining: 3)) { try reader.readUInt32LE() }
        #expect(reader.offset == 0)
        #expect(throws: CodecError.truncated(offset: 0, needed: 8, remaining: 3)) { try reader.readUInt64LE() }
        #expect(try reader.readBytes(0).count == 0)
        #expect(try reader.readUInt16LE() == 0x0201)
        #expect(reader.remaining == 1)
    }

    @Test func emptyInputThrowsTruncated() throws {
        var reader = ByteReader([])
        #expect(throws: CodecError.truncated(offset: 0, needed: 1, remaining: 0)) { try reader.readVarint() }
        #expect(throws: CodecError.truncated(offset: 0, needed: 1, remaining: 0)) { try reader.readUInt8() }
    }

    @Test func truncatedVarintThrows() {
        var reader = ByteReader([0x80, 0x80])
        #expect(throws: CodecError.truncated(offset: 0, needed: 3, remaining: 2)) { try reader.readVarint() }
    }

    @Test func overlongOrOverflowingVarintIsCorrupt() {
        var overflow = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: CodecError.corrupt("varint at offset 0 overflows 64 bits")) { try overflow.readVarint() }
        var overlong = ByteReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00])
        #expect(throws: CodecError.self) { try overlong.readVarint() }
    }

    @Test func readerOverBorrowedMemory() throws {
        let bytes: [UInt8] = [0x96, 0x01, 0x7F]
        let (unsigned, signed, remaining) = bytes.withUnsafeBytes { raw -> (UInt64?, Int64?, Int) in
            var reader = ByteReader(raw)
            return (try? reader.readVarint(), try? reader.readZigZag(), reader.remaining)
        }
        #expect(unsigned == 150)
        #expect(signed == -64)
        #expect(remaining == 0)
    }

    @Test func removeAllKeepsCapacityAndEmpties() {
        var writer = ByteWriter(capacity: 64)
        writer.writeUInt64LE(1)
        writer.removeAll(keepingCapacity: true)
        #expect(writer.count == 0)
        #expect(writer.bytes.capacity >= 64)
        writer.writeUInt8(7)
        #expect(writer.withUnsafeBytes { Array($0) } == [7])
    }
}
