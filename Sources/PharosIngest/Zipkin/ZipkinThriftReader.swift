import PharosCore

/// TBinaryProtocol primitives for `ZipkinThriftV1Decoder`: big-endian integers, length-prefixed strings,
/// field headers and skipping by type, with `zipkin2.internal.ReadBuffer`'s bounds rules.
///
/// Every read checks the bytes left first and fails with Zipkin's `Truncated: length N > bytes available M`.
/// Skipping follows `ThriftCodec.skip`: fixed-size values are skipped *clamped* to the end of the body (the
/// next read then reports the truncation, as Zipkin does), unknown types skip nothing. Differences, all on
/// input Zipkin cannot handle either: a negative length is `Malformed` (Zipkin moves backwards or throws an
/// index exception); nesting deeper than `maxDepth` is `Malformed` (Zipkin overflows its stack); a list of
/// fixed-size values is skipped in one step, so a count of 2³¹ costs nothing (Zipkin loops over it).
/// Strings come from one `ZipkinStringTable` per body. Not thread-safe; one per decode call.
struct ZipkinThriftReader {
    /// TType codes (`org.apache.thrift.protocol.TType`).
    enum TType {
        static let stop: UInt8 = 0
        static let bool: UInt8 = 2
        static let byte: UInt8 = 3
        static let double: UInt8 = 4
        static let i16: UInt8 = 6
        static let i32: UInt8 = 8
        static let i64: UInt8 = 10
        static let string: UInt8 = 11
        static let `struct`: UInt8 = 12
        static let map: UInt8 = 13
        static let set: UInt8 = 14
        static let list: UInt8 = 15
    }

    /// A field header: its type, and its id (absent for `stop`).
    struct Field: Equatable {
        var type: UInt8
        var id: Int16
    }

    /// Zipkin's cause text (`ThriftCodec.exceptionReading` adds ` reading List<Span> from TBinary`).
    struct Failure: Error {
        var message: String
        /// `IllegalStateException` in Zipkin: reported as just `Malformed`.
        static let malformed = Failure(message: "Malformed")
    }

    /// Nesting allowed while skipping unknown values. zipkinCore.thrift nests three deep (span, list,
    /// annotation, endpoint); 64 leaves room for other structs and keeps the recursion's stack small.
    static let maxDepth = 64

    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    let strings = ZipkinStringTable()

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    var available: Int { end - pos }

    /// `ReadBuffer.require`.
    @inline(__always)
    func require(_ n: Int) throws(Failure) {
        if n > end - pos { throw Failure(message: "Truncated: length \(n) > bytes available \(end - pos)") }
    }

    @inline(__always)
    mutating func byte() throws(Failure) -> UInt8 {
        try require(1)
        pos += 1
        return base[pos - 1]
    }

    @inline(__always)
    mutating func i16() throws(Failure) -> Int16 {
        try require(2)
        let v = UInt16(base[pos]) << 8 | UInt16(base[pos + 1])
        pos += 2
        return Int16(bitPattern: v)
    }

    @inline(__always)
    mutating func i32() throws(Failure) -> Int32 {
        try require(4)
        let v = UInt32(bigEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt32.self))
        pos += 4
        return Int32(bitPattern: v)
    }

    @inline(__always)
    mutating func i64() throws(Failure) -> Int64 {
        try require(8)
        let v = UInt64(bigEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
        pos += 8
        return Int64(bitPattern: v)
    }

    /// `ThriftField.read`: a type byte, then a big-endian i16 id unless the type is `stop`.
    @inline(__always)
    mutating func field() throws(Failure) -> Field {
        let type = try byte()
        if type == TType.stop { return Field(type: type, id: 0) }
        return Field(type: type, id: try i16())
    }

    /// `readInt()` as the length of bytes that follow, checked against the bytes left.
    @inline(__always)
    mutating func length() throws(Failure) -> Int {
        let n = Int(try i32())
        if n < 0 { throw .malformed }
        try require(n)
        return n
    }

    /// `readBytes(readInt())` as (start, count) in the body.
    @inline(__always)
    mutating func bytes() throws(Failure) -> (start: Int, count: Int) {
        let n = try length()
        pos += n
        return (pos - n, n)
    }

    /// `readUtf8(readInt())`: invalid UTF-8 becomes U+FFFD, as Java decodes it.
    @inline(__always)
    mutating func text() throws(Failure) -> String {
        let (start, n) = try bytes()
        return strings.text(base + start, n)
    }

    /// `Span.Builder.name` / `Endpoint.Builder.serviceName` over `readUtf8`: lower-cased, nil when empty.
    @inline(__always)
    mutating func name() throws(Failure) -> String? {
        let (start, n) = try bytes()
        return strings.name(base + start, n)
    }

    /// `ReadBuffer.skip`: never past the end.
    @inline(__always)
    mutating func skipClamped(_ n: Int) {
        pos += min(n, end - pos)
    }

    /// Bytes a value of `type` occupies when that does not depend on the data; nil for containers and strings.
    /// Types Thrift does not define occupy nothing (`ThriftCodec.skip`'s `default` case).
    @inline(__always)
    static func fixedSize(_ type: UInt8) -> Int? {
        switch type {
        case TType.bool, TType.byte: 1
        case TType.i16: 2
        case TType.i32: 4
        case TType.double, TType.i64: 8
        case TType.string, TType.struct, TType.map, TType.set, TType.list: nil
        default: 0
        }
    }

    /// `ThriftCodec.skip(buffer, type)`: skips one value of `type`.
    mutating func skip(_ type: UInt8, depth: Int = 0) throws(Failure) {
        if depth >= Self.maxDepth { throw .malformed }
        if let size = Self.fixedSize(type) {
            skipClamped(size)
            return
        }
        switch type {
        case TType.string:
            let n = Int(try i32())
            if n < 0 { throw .malformed }
            skipClamped(n)
        case TType.struct:
            while true {
                let f = try field()
                if f.type == TType.stop { return }
                try skip(f.type, depth: depth + 1)
            }
        case TType.map:
            let keyType = try byte()
            let valueType = try byte()
            try skipElements(count: try i32(), keyType, valueType, depth: depth + 1)
        default:  // set, list
            let elementType = try byte()
            try skipElements(count: try i32(), elementType, nil, depth: depth + 1)
        }
    }

    /// `count` elements (map entries when `second` is set). A negative count is no elements, as Java's
    /// `for (i = 0; i < length; …)` reads it. Fixed-size elements are skipped in one clamped step; others
    /// each consume at least one byte or throw, so the loop is bounded by the body's size.
    mutating func skipElements(count: Int32, _ first: UInt8, _ second: UInt8?, depth: Int) throws(Failure) {
        guard count > 0 else { return }
        let secondSize = second.map(Self.fixedSize) ?? 0  // nil when the map's value type is not fixed-size
        if let a = Self.fixedSize(first), let b = secondSize {
            skipClamped(Int(count) * (a + b))
            return
        }
        for _ in 0..<count {
            try skip(first, depth: depth)
            if let second { try skip(second, depth: depth) }
        }
    }
}
