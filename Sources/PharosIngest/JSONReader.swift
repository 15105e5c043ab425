/// A byte-level JSON tokenizer over one request body, with Jackson's (OpenTSDB's) leniencies:
/// `NaN`, `Infinity`, `+Infinity`, `-Infinity`, `+INF`, `-INF` are numbers.
///
/// Strict otherwise: no comments, no leading zeros, no raw control characters in strings, UTF-8 must
/// be valid. Nesting is capped at `maxDepth` so hostile bodies cannot overflow the stack (the skip is
/// iterative anyway). Not thread-safe; one reader per body.
struct JSONReader {
    /// Deepest nesting accepted anywhere in a body.
    static let maxDepth = 512

    struct Failure: Error {
        let detail: String
    }

    /// A scalar as the String-typed OpenTSDB fields see it.
    enum Scalar {
        case string(Range<Int>, escaped: Bool)
        case number(Range<Int>, integer: Bool)
        case bool(Bool)
        case null
    }

    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end
    }

    func failure(_ what: String) -> Failure {
        if position >= end { return Failure(detail: "\(what): unexpected end of input at offset \(position)") }
        let b = bytes[position]
        let shown = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16)
        return Failure(detail: "\(what): unexpected byte \(shown) at offset \(position)")
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    @inline(__always)
    func peek() -> UInt8? { position < end ? bytes[position] : nil }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard position < end, bytes[position] == byte else { throw failure(what) }
        position += 1
    }

    /// After `{` or `,`: reads `"key"` and the `:`; returns the key's content range.
    mutating func readKey() throws(Failure) -> (Range<Int>, escaped: Bool) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a field name") }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "expected ':'")
        skipWhitespace()
        return key
    }

    /// After a member: true if another follows (`,`), false at the closing `close`.
    mutating func nextMember(close: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard position < end else { throw failure("unterminated container") }
        let b = bytes[position]
        position += 1
        if b == UInt8(ascii: ",") { return true }
        if b == close { return false }
        position -= 1
        throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))'")
    }

    /// Reads a string at `"`; returns the content range. Validates escapes, control bytes and UTF-8.
    mutating func readString() throws(Failure) -> (Range<Int>, escaped: Bool) {
        position += 1
        let start = position
        var escaped = false
        var nonASCII = false
        while true {
            guard position < end else { throw failure("unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < end else { throw failure("unterminated string") }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < end, (1...4).allSatisfy({ JSONReader.hexValue(bytes[position + $0]) != nil })
                    else { throw failure("bad \\u escape") }
                    position += 5
                default:
                    throw failure("bad escape")
                }
                continue
            }
            if b < 0x20 { throw failure("control character in string") }
            if b >= 0x80 { nonASCII = true }
            position += 1
        }
        let range = start..<position
        position += 1
        if nonASCII, String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) == nil {
            position = start
            throw Failure(detail: "invalid UTF-8 in the string at offset \(start)")
        }
        return (range, escaped)
    }

    /// Reads any scalar; throws at `{` or `[` (OpenTSDB's String fields reject containers).
    mutating func readScalar() throws(Failure) -> Scalar {
        guard let b = peek() else { throw failure("expected a value") }
        switch b {
        case UInt8(ascii: "\""):
            let (range, escaped) = try readString()
            return .string(range, escaped: escaped)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return try readNumber()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard position + n <= end, UnsafeRawBufferPointer(rebasing: bytes[position..<position + n]).elementsEqual(
            UnsafeRawBufferPointer(start: word.utf8Start, count: n))
        else { throw failure("bad literal") }
        position += n
    }

    /// JSON numbers `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`, plus Jackson's non-numeric numbers.
    mutating func readNumber() throws(Failure) -> Scalar {
        let start = position
        if let special = matchNonNumeric() {
            position += special
            return .number(start..<position, integer: false)
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), first >= 48, first <= 57 else { throw failure("expected a value") }
        position += 1
        if first != 48 { skipDigits() }
        var integer = true
        if peek() == UInt8(ascii: ".") {
            integer = false
            position += 1
            guard skipDigits() > 0 else { throw failure("expected a digit") }
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            integer = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw failure("expected a digit") }
        }
        return .number(start..<position, integer: integer)
    }

    /// Length of a Jackson non-numeric number at `position`, if one is there.
    private func matchNonNumeric() -> Int? {
        guard let first = peek() else { return nil }
        let signed = first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        let letter = signed ? (position + 1 < end ? bytes[position + 1] : 0) : first
        guard letter == UInt8(ascii: "N") || letter == UInt8(ascii: "I") else { return nil }
        let words: [String] = signed ? ["-Infinity", "+Infinity", "-INF", "+INF"] : ["NaN", "Infinity"]
        for word in words {
            let n = word.utf8.count
            if position + n <= end, UnsafeRawBufferPointer(rebasing: bytes[position..<position + n]).elementsEqual(word.utf8) {
                return n
            }
        }
        return nil
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while position < end, bytes[position] &- 48 <= 9 { position += 1 }
        return position - start
    }

    /// Skips one value of any shape without recursion; containers may nest `maxDepth` deep.
    mutating func skipValue(depth: Int) throws(Failure) {
        var stack: [UInt8] = []
        var depth = depth
        while true {
            skipWhitespace()
            guard let b = peek() else { throw failure("expected a value") }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
                guard depth <= JSONReader.maxDepth else { throw Failure(detail: "nesting deeper than \(JSONReader.maxDepth) at offset \(position)") }
                position += 1
                skipWhitespace()
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if peek() == close {
                    position += 1
                    depth -= 1
                } else {
                    stack.append(close)
                    if close == UInt8(ascii: "}") { _ = try readKey() }
                    continue
                }
            } else {
                _ = try readScalar()
            }
            // After a value: unwind finished containers.
            while let close = stack.last {
                if try nextMember(close: close) {
                    if close == UInt8(ascii: "}") { _ = try readKey() }
                    break
                }
                stack.removeLast()
                depth -= 1
            }
            if stack.isEmpty { return }
        }
    }

    /// The decoded text of a string's content range; lone surrogate escapes become U+FFFD.
    func decodeString(_ range: Range<Int>, escaped: Bool) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func flush() {
            if !out.isEmpty {
                scalars.append(contentsOf: String(decoding: out, as: UTF8.self).unicodeScalars)
                out.removeAll(keepingCapacity: true)
            }
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var unit = JSONReader.hex4(raw, at: i)
                i += 4
                flush()
                if UTF16.isLeadSurrogate(UInt16(unit)), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                    raw[i + 1] == UInt8(ascii: "u")
                {
                    let low = JSONReader.hex4(raw, at: i + 2)
                    if UTF16.isTrailSurrogate(UInt16(low)) {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
            default: out.append(e)
            }
        }
        flush()
        return String(scalars)
    }

    static func hex4(_ raw: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(raw[i + $1]) ?? 0) }
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 97...102: b - 87
        case 65...70: b - 55
        default: nil
        }
    }
}
