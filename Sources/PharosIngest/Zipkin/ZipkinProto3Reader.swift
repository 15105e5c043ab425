import PharosCore

/// The wire-format primitives of `ZipkinProto3Decoder`, plus the span, endpoint, annotation and tag
/// messages. Every read checks against `end` first, then loads through an unsafe pointer. Strings come from
/// one `ZipkinStringTable` per body. Not thread-safe.
struct ZipkinProto3Reader {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    /// The span's tags and annotations being read, moved into the span at its end.
    let tags = ZipkinMoveBuffer<SpanTag>()
    let annotations = ZipkinMoveBuffer<SpanAnnotation>()
    var keyOrder = ZipkinKeyOrder()
    let strings = ZipkinStringTable()

    struct Failure: Error {
        var message: String
    }

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    @inline(__always)
    func require(_ n: Int, _ limit: Int) throws(Failure) {
        if n > limit - pos { throw Failure(message: "Truncated: length \(n) > bytes available \(limit - pos)") }
    }

    @inline(__always)
    mutating func varint64() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            try require(1, end)
            let b = base[pos]
            pos += 1
            if shift == 63 && b > 1 { throw Failure(message: "Greater than 64-bit varint at position \(pos - 1)") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func varint32() throws(Failure) -> UInt32 {
        if pos < end && base[pos] < 0x80 {
            pos += 1
            return UInt32(base[pos - 1])
        }
        let v = try varint64()
        guard v <= UInt32.max else { throw Failure(message: "Greater than 32-bit varint at position \(pos - 1)") }
        return UInt32(v)
    }

    /// A length prefix, checked against the bytes left.
    @inline(__always)
    mutating func length() throws(Failure) -> Int {
        let n = try varint32()
        guard n <= Int32.max else { throw Failure(message: "Malformed: length \(n) at byte \(pos)") }
        try require(Int(n), end)
        return Int(n)
    }

    @inline(__always)
    mutating func fixed64() throws(Failure) -> UInt64 {
        try require(8, end)
        let v = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
        pos += 8
        return UInt64(littleEndian: v)
    }

    /// Skips the value of a field whose key was read (`Proto3Fields.Field.skipValue`).
    mutating func skip(_ key: UInt32) throws(Failure) {
        if key >> 3 == 0 { throw Failure(message: "Malformed: fieldNumber was zero at byte \(pos)") }
        switch key & 7 {
        case 0: _ = try varint64()
        case 1: try require(8, end); pos += 8
        case 2: pos += try length()
        case 5: try require(4, end); pos += 4
        default: throw Failure(message: "Malformed: invalid wireType \(key & 7) at byte \(pos)")
        }
    }

    /// A length-delimited field's bytes as (start, count).
    @inline(__always)
    mutating func bytes() throws(Failure) -> (Int, Int) {
        let n = try length()
        let start = pos
        pos += n
        return (start, n)
    }

    @inline(__always)
    mutating func string() throws(Failure) -> String {
        let (start, n) = try bytes()
        return strings.text(base + start, n)
    }

    /// `BooleanField.read`: one byte, 0 or 1.
    @inline(__always)
    mutating func bool() throws(Failure) -> Bool {
        try require(1, end)
        let b = base[pos]
        pos += 1
        if b > 1 { throw Failure(message: "Malformed: invalid boolean value at byte \(pos)") }
        return b == 1
    }

    /// Id bytes as the parsed value of their hex text (length in hex characters), as `HexField` reads them.
    mutating func id() throws(Failure) -> ZipkinIDRules.Parsed? {
        let (start, n) = try bytes()
        if n == 0 { return nil }
        if n > 32 { throw Failure(message: "hex field greater than 32 chars long: \(n)") }
        let raw = UnsafeRawPointer(base + start)
        if n == 8 { return ZipkinIDRules.Parsed(high: 0, low: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)), length: 16) }
        if n == 16 {
            let high = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
            return ZipkinIDRules.Parsed(high: high, low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), length: 32)
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<n {
            high = high << 8 | low >> 56
            low = low << 8 | UInt64(base[start + i])
        }
        return ZipkinIDRules.Parsed(high: n > 16 ? 1 : high, low: low, length: n * 2)
    }
}
