/// A cursor that consumes little-endian bytes: the input side of every Pharos codec.
///
/// `read*` consumes and throws ``CodecError/truncated(offset:needed:remaining:)`` when the input ends early,
/// never reading past the end. Each read does one bounds check and then loads through a raw pointer, so
/// decode loops pay no per-byte checks.
///
/// Lifetime: a reader made with ``init(_:)-(UnsafeRawBufferPointer)`` borrows the memory, which the caller
/// must keep alive while the reader is used (typically inside `withUnsafeBytes`). A reader made from a
/// `[UInt8]` owns a copy and is safe to keep. Not `Sendable`: use one reader per task.
public struct ByteReader {
    private let base: UnsafeRawPointer?
    private var end: Int
    private let owner: ByteReaderStorage?

    /// Bytes consumed so far, from the start of the input.
    public private(set) var offset: Int

    /// Reads from borrowed memory; the caller keeps `buffer` valid while the reader is in use.
    public init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress
        end = buffer.count
        owner = nil
        offset = 0
    }

    /// Reads from a private copy of `bytes`, so the reader can outlive the array's scope.
    public init(_ bytes: [UInt8]) {
        let storage = ByteReaderStorage(bytes)
        base = UnsafeRawPointer(storage.memory.baseAddress)
        end = bytes.count
        owner = storage
        offset = 0
    }

    /// Bytes left to read.
    public var remaining: Int { end - offset }

    @inline(__always)
    private mutating func take(_ count: Int) throws(CodecError) -> UnsafeRawPointer {
        guard count <= end - offset, let base else {
            throw CodecError.truncated(offset: offset, needed: count, remaining: end - offset)
        }
        let pointer = base + offset
        offset += count
        return pointer
    }

    /// Consumes one byte.
    public mutating func readUInt8() throws(CodecError) -> UInt8 {
        try take(1).load(as: UInt8.self)
    }

    /// Consumes 2 bytes, least significant first.
    public mutating func readUInt16LE() throws(CodecError) -> UInt16 {
        UInt16(littleEndian: try take(2).loadUnaligned(as: UInt16.self))
    }

    /// Consumes 4 bytes, least significant first.
    public mutating func readUInt32LE() throws(CodecError) -> UInt32 {
        UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self))
    }

    /// Consumes 4 bytes, most significant first.
    public mutating func readUInt32BE() throws(CodecError) -> UInt32 {
        UInt32(bigEndian: try take(4).loadUnaligned(as: UInt32.self))
    }

    /// Consumes 8 bytes, least significant first.
    public mutating func readUInt64LE() throws(CodecError) -> UInt64 {
        UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self))
    }

    /// Consumes an unsigned LEB128 varint written by ``ByteWriter/writeVarint(_:)``.
    ///
    /// Throws `truncated` if the input ends inside the varint and `corrupt` if it is longer than 10 bytes
    /// or overflows 64 bits.
    public mutating func readVarint() throws(CodecError) -> UInt64 {
        guard let base else { throw CodecError.truncated(offset: offset, needed: 1, remaining: 0) }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var position = offset
        while position < end {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            if shift == 63 && byte > 1 {
                throw CodecError.corrupt("varint at offset \(offset) overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                offset = position
                return result
            }
            shift += 7
            if shift > 63 { throw CodecError.corrupt("varint at offset \(offset) is longer than 10 bytes") }
        }
        throw CodecError.truncated(offset: offset, needed: position - offset + 1, remaining: end - offset)
    }

    /// Consumes a zigzag varint written by ``ByteWriter/writeZigZag(_:)``.
    public mutating func readZigZag() throws(CodecError) -> Int64 {
        ZigZag.decode(try readVarint())
    }

    /// Consumes `count` bytes and returns a view of them, valid as long as the reader's memory is.
    public mutating func readBytes(_ count: Int) throws(CodecError) -> UnsafeRawBufferPointer {
        guard count >= 0 else { throw CodecError.corrupt("negative length \(count) at offset \(offset)") }
        if count == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: try take(count), count: count)
    }

    /// Consumes `count` bytes and returns a copy of them.
    public mutating func readByteArray(_ count: Int) throws(CodecError) -> [UInt8] {
        Array(try readBytes(count))
    }

    /// Consumes `count` bytes without looking at them.
    public mutating func skip(_ count: Int) throws(CodecError) {
        _ = try readBytes(count)
    }

    /// Stops the reader at absolute offset `newEnd` (≥ ``offset``, ≤ the current end), so a decoder of one
    /// record cannot read into the next.
    mutating func truncate(to newEnd: Int) {
        precondition(newEnd >= offset && newEnd <= end, "BUG: truncate(to: \(newEnd)) outside \(offset)…\(end)")
        end = newEnd
    }

    /// The unread bytes, without consuming them; valid as long as the reader's memory is.
    public var unreadBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + offset }, count: end - offset)
    }
}

/// Keeps a copy of an array alive for a ``ByteReader`` made from `[UInt8]`.
private final class ByteReaderStorage {
    let memory: UnsafeMutableRawBufferPointer

    init(_ bytes: [UInt8]) {
        memory = .allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
    }

    deinit { memory.deallocate() }
}
