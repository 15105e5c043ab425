/// Zipkin's rules for trace and span ids, applied to hex text (JSON) and to raw bytes (proto3).
///
/// From `zipkin2.Span.normalizeTraceId`, `Span.Builder.id(String)` / `parentId(String)` and
/// `validateHexAndReturnZeroPrefix`: lengths are checked before characters; upper-case hex is rejected,
/// not lower-cased; short ids are left-padded with zeros (trace ids to 16, or to 32 when 17–31 characters
/// long); a 32-character trace id whose upper half is zero becomes 64-bit; an all-zero trace id is an error,
/// an all-zero `parentId` means "no parent". Quirk kept: Zipkin only rejects an all-zero span `id` when it
/// is exactly 16 characters long, so `"id":"0"` is accepted as id 0. Pure.
enum ZipkinIDRules {
    /// A 128-bit id parsed from at most 32 nibbles, with the text length it came from.
    struct Parsed {
        var high: UInt64
        var low: UInt64
        var length: Int
    }

    /// A rejected id: Zipkin's exception message, without the "reading …" suffix.
    struct Failure: Error {
        var message: String
    }

    /// Parses up to 32 lower-hex characters; nil on any other byte.
    @inline(__always)
    static func parseHex(_ base: UnsafePointer<UInt8>, _ count: Int) -> Parsed? {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var i = 0
        if count <= 16 {  // span ids and 64-bit trace ids: one word
            while i < count {
                let c = base[i]
                let digit = c &- 0x30
                let letter = c &- 0x61
                guard digit < 10 || letter < 6 else { return nil }
                low = low << 4 | UInt64(digit < 10 ? digit : letter &+ 10)
                i += 1
            }
            return Parsed(high: 0, low: low, length: count)
        }
        while i < count {
            let c = base[i]
            let nibble: UInt8
            if c &- 0x30 < 10 {
                nibble = c &- 0x30
            } else if c &- 0x61 < 6 {
                nibble = c &- 0x61 &+ 10
            } else {
                return nil
            }
            high = high << 4 | low >> 60
            low = low << 4 | UInt64(nibble)
            i += 1
        }
        return Parsed(high: high, low: low, length: count)
    }

    static func notHex(_ base: UnsafePointer<UInt8>, _ count: Int) -> Failure {
        let text = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        return Failure(message: "\(text) should be lower-hex encoded with no prefix")
    }

    /// The trace id in `text` (hex characters) per `Span.normalizeTraceId`.
    static func traceId(_ base: UnsafePointer<UInt8>, _ count: Int) throws(Failure) -> (high: UInt64, low: UInt64, is128Bit: Bool) {
        if count == 0 { throw Failure(message: "traceId is empty") }
        if count > 32 { throw Failure(message: "traceId.length > 32") }
        guard let p = parseHex(base, count) else { throw notHex(base, count) }
        return try traceId(p)
    }

    /// Length-independent part of the trace-id rules, shared with the proto3 decoder.
    static func traceId(_ p: Parsed) throws(Failure) -> (high: UInt64, low: UInt64, is128Bit: Bool) {
        if p.high == 0 && p.low == 0 { throw Failure(message: "traceId is all zeros") }
        let is128Bit = p.length > 16 && !(p.length == 32 && p.high == 0)
        return (p.high, p.low, is128Bit)
    }

    /// The span id in `text` per `Span.Builder.id(String)`.
    static func spanId(_ base: UnsafePointer<UInt8>, _ count: Int) throws(Failure) -> UInt64 {
        if count == 0 { throw Failure(message: "id is empty") }
        if count > 16 { throw Failure(message: "id.length > 16") }
        guard let p = parseHex(base, count) else { throw notHex(base, count) }
        if p.low == 0 && count == 16 { throw Failure(message: "id is all zeros") }
        return p.low
    }

    /// The parent id in `text` per `Span.Builder.parentId(String)`; 0 (no parent) when all zeros.
    static func parentId(_ base: UnsafePointer<UInt8>, _ count: Int) throws(Failure) -> UInt64 {
        if count == 0 { throw Failure(message: "parentId is empty") }
        if count > 16 { throw Failure(message: "parentId.length > 16") }
        guard let p = parseHex(base, count) else { throw notHex(base, count) }
        return p.low
    }
}
