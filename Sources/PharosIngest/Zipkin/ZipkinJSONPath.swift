/// Where in a JSON body a decoder is, kept as offsets so the hot path never builds strings; turned into
/// Gson's `$[0].annotations[1].value` path and `at line 1 column 42 path …` text only when failing.
struct ZipkinJSONPath {
    var spanIndex = -1
    var field: Range<Int>? = nil
    var element = -1
    var member: Range<Int>? = nil
    /// Gson writes `$[0].annotations[0].` inside an object before its first name.
    var inEmptyMember = false

    @inline(__always)
    mutating func enterSpan(_ i: Int) {
        spanIndex = i
        field = nil
        element = -1
        member = nil
        inEmptyMember = false
    }

    /// The Gson path text.
    func text(_ cursor: ZipkinJSONCursor) -> String {
        guard spanIndex >= 0 else { return "$" }
        var s = "$[\(spanIndex)]"
        if let field { s += "." + Self.name(cursor, field) }
        if element >= 0 { s += "[\(element)]" }
        if let member { s += "." + Self.name(cursor, member) } else if inEmptyMember { s += "." }
        return s
    }

    static func name(_ c: ZipkinJSONCursor, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: c.base + r.lowerBound, count: r.count), as: UTF8.self)
    }

    /// Gson's ` at line L column C path P` for a token at `offset` (columns count bytes here, UTF-16 units in Gson).
    func location(_ c: ZipkinJSONCursor, _ offset: Int) -> String {
        var line = 1
        var lineStart = 0
        var i = 0
        let end = min(offset, c.count)
        while i < end {
            if c.base[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return " at line \(line) column \(offset - lineStart + 1) path \(text(c))"
    }

    /// Zipkin's message for a cursor failure, with the `reading List<Span> from json` suffix.
    func message(_ f: ZipkinJSONCursor.Failure, _ c: ZipkinJSONCursor) -> String {
        var c = c
        let cause: String
        switch f {
        case .malformed:
            cause = "Malformed"
        case .endOfInput(let at):
            cause = "End of input" + location(c, at)
        case .message(let m):
            cause = m
        case .wrongType(let expected, let at):
            c.pos = at
            let token = c.tokenName()
            // Gson leaves its position after a string's quote, a bracket or a keyword
            let after: Int
            switch token {
            case "BOOLEAN": after = at + (c.base[at] == 0x74 ? 4 : 5)
            case "NULL": after = at + 4
            case "NUMBER": after = at
            default: after = at + 1
            }
            if expected.hasPrefix("BEGIN_") {
                cause = expected == "BEGIN_OBJECT" ? "Malformed" : "Expected \(expected) but was \(token)" + location(c, after)
            } else {
                cause = "Expected \(expected) but was \(token)" + location(c, after)
            }
        case .badNumber(let expected, let literal, let at):
            cause = "Expected \(expected) but was \(literal)" + location(c, at)
        }
        return cause + " reading List<Span> from json"
    }
}
