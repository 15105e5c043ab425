/// An append-only, growable little-endian byte buffer: the output side of every Pharos codec.
///
/// Codecs append into a caller-owned writer (`encode(into: inout ByteWriter)`), so a hot path reuses one
/// allocation for many records: call ``removeAll(keepingCapacity:)`` between them. A value type with no
/// shared state; safe to send between tasks.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes before it reallocates.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Makes room for `additional` more bytes so the next writes do not reallocate.
    public mutating func reserveCapacity(additional: Int) {
        bytes.reserveCapacity(bytes.count + additional)
    }

    /// Forgets the bytes written; keeps the allocation by default so the writer can be reused.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Calls `body` with a view of the written bytes, valid only inside `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Appends one byte.
    public mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends 2 bytes, least significant first.
    public mutating func writeUInt16LE(_ value: UInt16) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends 4 bytes, least significant first.
    public mutating func writeUInt32LE(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Overwrites four bytes written earlier (a length or checksum known only after the body).
    public mutating func setUInt32LE(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= bytes.count, "BUG: setUInt32LE at \(offset) outside \(bytes.count) bytes")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    /// Appends 4 bytes, most significant first (network order, as in some foreign wire formats).
    public mutating func writeUInt32BE(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends 8 bytes, least significant first.
    public mutating func writeUInt64LE(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint: 7 bits per byte, low groups first, 1…10 bytes.
    ///
    /// Small numbers take one byte, so counts and lengths cost little; use ``writeZigZag(_:)`` for signed values.
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends a signed value as a zigzag varint, so small negative numbers stay short (-1 → 1, 1 → 2).
    public mutating func writeZigZag(_ value: Int64) {
        writeVarint(ZigZag.encode(value))
    }

    /// Appends raw bytes.
    public mutating func writeBytes(_ source: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: source)
    }

    /// Appends raw bytes from any sequence.
    public mutating func writeBytes(_ source: some Sequence<UInt8>) {
        bytes.append(contentsOf: source)
    }

    /// Appends `count` bytes filled in by `body`, which returns how many of them it used (the rest are dropped).
    ///
    /// Lets a C compressor write straight into the buffer without a temporary copy.
    mutating func appendUninitialized(
        count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        var used = 0
        defer { bytes.removeLast(count - used) }
        used = try bytes.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        precondition(used >= 0 && used <= count, "BUG: appendUninitialized body used \(used) of \(count) bytes")
        return used
    }
}

/// Zigzag mapping of signed to unsigned integers: 0, -1, 1, -2 … → 0, 1, 2, 3 …
enum ZigZag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }
}
