/// A forward-only reader of JSON tokens over a body's bytes, with Gson's (strict mode) acceptance rules.
///
/// Zipkin reads JSON with Gson, so this accepts what Gson accepts where it matters for compatibility:
/// raw control characters inside strings, `\'` escapes, numbers where a string is expected (their literal
/// text), and `"123"` where a number is expected. Every read checks `pos < count` once per byte and reads
/// through an unsafe pointer (no per-byte bounds-check traps). Not thread-safe; lives on the stack of one
/// decode call, and the caller keeps the body alive.
struct ZipkinJSONCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var pos = 0

    /// Why reading stopped; the decoder turns it into Zipkin's message with a path.
    enum Failure: Error {
        /// A syntax error: Zipkin reports `Malformed`.
        case malformed(Int)
        /// The body ended inside a value: Gson's `End of input`.
        case endOfInput(Int)
        /// A value of the wrong type: Gson's `Expected a string but was BOOLEAN`, etc. (`expected`, token at offset).
        case wrongType(String, Int)
        /// A number Java cannot convert: Gson's `Expected a long but was 1.5` (`expected`, literal, offset).
        case badNumber(String, String, Int)
        /// A message Zipkin raises itself (id rules, `No enum constant`, …), without location.
        case message(String)
    }

    init(_ body: UnsafeRawBufferPointer) {
        base = body.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        count = body.count
    }

    @inline(__always)
    mutating func skipSpace() {
        while pos < count {
            let b = base[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    /// The next non-space byte, not consumed.
    @inline(__always)
    mutating func peek() throws(Failure) -> UInt8 {
        skipSpace()
        guard pos < count else { throw .endOfInput(pos) }
        return base[pos]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try peek() == byte else { throw .malformed(pos) }
        pos += 1
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) throws(Failure) -> Bool {
        guard try peek() == byte else { return false }
        pos += 1
        return true
    }

    /// After a member or element: true if a `,` follows, false at `close`; anything else is malformed.
    @inline(__always)
    mutating func next(close: UInt8) throws(Failure) -> Bool {
        let b = try peek()
        pos += 1
        if b == 0x2C { return true }
        if b == close { return false }
        throw .malformed(pos - 1)
    }

    /// Gson's name for the token at the cursor (`STRING`, `NUMBER`, `BOOLEAN`, `NULL`, `BEGIN_OBJECT`, …).
    mutating func tokenName() -> String {
        guard (try? peek()) != nil else { return "END_DOCUMENT" }
        switch base[pos] {
        case 0x22: return "STRING"
        case 0x7B: return "BEGIN_OBJECT"
        case 0x5B: return "BEGIN_ARRAY"
        case 0x7D: return "END_OBJECT"
        case 0x5D: return "END_ARRAY"
        case 0x74, 0x66: return "BOOLEAN"
        case 0x6E: return "NULL"
        default: return "NUMBER"
        }
    }

    /// True at a `null` literal (consumed).
    @inline(__always)
    mutating func consumeNull() throws(Failure) -> Bool {
        guard try peek() == 0x6E else { return false }
        try literal("null")
        return true
    }

    /// Consumes the keyword `word` and checks a delimiter follows.
    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= count else { throw .endOfInput(count) }
        let p = word.utf8Start
        for i in 0..<n where base[pos + i] != p[i] { throw .malformed(pos) }
        pos += n
        try checkDelimiter()
    }

    /// Gson treats `truex` or `12ab` as an unquoted literal, which strict mode rejects.
    @inline(__always)
    func checkDelimiter() throws(Failure) {
        guard pos < count else { return }
        switch base[pos] {
        case 0x20, 0x0A, 0x0D, 0x09, 0x2C, 0x5D, 0x7D, 0x3A: return
        default: throw .malformed(pos)
        }
    }

    /// Reads `true` or `false`; other tokens are Gson's `Expected a boolean but was …`.
    mutating func bool() throws(Failure) -> Bool {
        switch try peek() {
        case 0x74: try literal("true"); return true
        case 0x66: try literal("false"); return false
        default: throw .wrongType("a boolean", pos)
        }
    }

    /// Scans a number token; returns its byte range and whether it is a plain integer.
    mutating func numberToken() throws(Failure) -> (start: Int, end: Int, integer: Bool) {
        let start = pos
        if pos < count && base[pos] == 0x2D { pos += 1 }
        let digitsStart = pos
        while pos < count && base[pos] &- 0x30 < 10 { pos += 1 }
        if pos == digitsStart { throw pos == count ? .endOfInput(pos) : .malformed(pos) }
        if base[digitsStart] == 0x30 && pos - digitsStart > 1 { throw .malformed(digitsStart) }
        var integer = true
        if pos < count && base[pos] == 0x2E {
            integer = false
            pos += 1
            let f = pos
            while pos < count && base[pos] &- 0x30 < 10 { pos += 1 }
            if pos == f { throw .malformed(pos) }
        }
        if pos < count && base[pos] | 0x20 == 0x65 {
            integer = false
            pos += 1
            if pos < count && (base[pos] == 0x2B || base[pos] == 0x2D) { pos += 1 }
            let e = pos
            while pos < count && base[pos] &- 0x30 < 10 { pos += 1 }
            if pos == e { throw .malformed(pos) }
        }
        try checkDelimiter()
        return (start, pos, integer)
    }

    /// Skips any value, however deeply nested, without recursion (deep nesting cannot overflow the stack).
    mutating func skipValue() throws(Failure) {
        var stack: [Bool] = []  // true: inside an array
        while true {
            switch try peek() {
            case 0x7B:
                pos += 1
                if try consume(0x7D) { break }
                stack.append(false)
                _ = try stringRange()
                try expect(0x3A)
                continue
            case 0x5B:
                pos += 1
                if try consume(0x5D) { break }
                stack.append(true)
                continue
            case 0x22: _ = try stringRange()
            case 0x74: try literal("true")
            case 0x66: try literal("false")
            case 0x6E: try literal("null")
            default: _ = try numberToken()
            }
            while let inArray = stack.last {
                if try next(close: inArray ? 0x5D : 0x7D) {
                    if !inArray {
                        _ = try stringRange()
                        try expect(0x3A)
                    }
                    break
                }
                stack.removeLast()
            }
            if stack.isEmpty { return }
        }
    }
}
