/// Strings and numbers of `ZipkinJSONCursor`, with Gson's coercions.
extension ZipkinJSONCursor {
    /// A string token: the bytes between the quotes, and whether they contain escapes.
    struct StringToken {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// Reads a quoted string; the cursor must be at its opening quote (after spaces).
    @inline(__always)
    mutating func stringRange() throws(Failure) -> StringToken {
        guard try peek() == 0x22 else { throw .malformed(pos) }
        pos += 1
        let start = pos
        var escaped = false
        while true {
            skipPlainText()
            guard pos < count else { break }
            let b = base[pos]
            if b == 0x22 {
                pos += 1
                return StringToken(start: start, end: pos - 1, escaped: escaped)
            }
            if b == 0x5C {
                escaped = true
                try checkEscape()
                continue
            }
            pos += 1
        }
        throw .endOfInput(count)
    }

    /// Moves past string bytes that are neither a quote nor a backslash, eight at a time (a word has such a
    /// byte when `haszero(word ^ pattern)`); stops at the first quote or backslash, or near the end of the body.
    @inline(__always)
    mutating func skipPlainText() {
        let raw = UnsafeRawPointer(base)
        while pos + 8 <= count {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
            let q = w ^ 0x2222_2222_2222_2222
            let s = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let found = ((q &- 0x0101_0101_0101_0101) & ~q | (s &- 0x0101_0101_0101_0101) & ~s) & 0x8080_8080_8080_8080
            if found != 0 {
                pos += found.trailingZeroBitCount / 8  // the lowest flag is exact; borrows only flag bytes above it
                return
            }
            pos += 8
        }
        while pos < count && base[pos] != 0x22 && base[pos] != 0x5C { pos += 1 }
    }

    /// Gson rejects an unknown escape even in a value it skips: a backslash must precede one of `"`, `/`, `'`,
    /// a backslash, `b f n r t`, a line feed, or `u` and four hex digits. Leaves the cursor after the escape.
    mutating func checkEscape() throws(Failure) {
        pos += 1
        guard pos < count else { throw .endOfInput(count) }
        let e = base[pos]
        pos += 1
        switch e {
        case 0x22, 0x5C, 0x2F, 0x27, 0x62, 0x66, 0x6E, 0x72, 0x74, 0x0A: return
        case 0x75:
            guard pos + 4 <= count else { throw .endOfInput(count) }
            for k in 0..<4 {
                let c = base[pos + k]
                guard c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6 else { throw .malformed(pos + k) }
            }
            pos += 4
        default: throw .malformed(pos - 1)
        }
    }

    /// Gson's `nextString` as raw bytes: a string token, or a number's literal text as an unescaped token;
    /// other tokens are errors. `ZipkinJSONReader.text()` makes the `String`; ids and enums need none.
    @inline(__always)
    mutating func rawString() throws(Failure) -> StringToken {
        let b = try peek()
        if b == 0x22 { return try stringRange() }
        if b == 0x2D || b &- 0x30 < 10 {
            let n = try numberToken()
            return StringToken(start: n.start, end: n.end, escaped: false)
        }
        throw .wrongType("a string", pos)
    }

    /// The text of a string token; invalid UTF-8 becomes U+FFFD, as Java's UTF-8 reader does.
    @inline(__always)
    func text(_ t: StringToken) throws(Failure) -> String {
        if !t.escaped {
            return String(decoding: UnsafeBufferPointer(start: base + t.start, count: t.end - t.start), as: UTF8.self)
        }
        return try unescape(t)
    }

    /// The slow path: decodes `\n`, `\uXXXX` (surrogate pairs joined, lone ones → U+FFFD) and friends.
    func unescape(_ t: StringToken) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(t.end - t.start)
        var i = t.start
        var pendingHigh: UInt32? = nil
        while i < t.end {
            let b = base[i]
            guard b == 0x5C else {
                if pendingHigh != nil { append(0xFFFD, to: &out); pendingHigh = nil }
                out.append(b)
                i += 1
                continue
            }
            i += 1
            let e = base[i]
            i += 1
            var scalar: UInt32
            switch e {
            case 0x6E: scalar = 0x0A
            case 0x74: scalar = 0x09
            case 0x72: scalar = 0x0D
            case 0x62: scalar = 0x08
            case 0x66: scalar = 0x0C
            case 0x22, 0x5C, 0x2F, 0x27, 0x0A: scalar = UInt32(e)
            case 0x75:
                guard i + 4 <= t.end else { throw .malformed(i) }
                scalar = 0
                for k in 0..<4 {
                    let c = base[i + k]
                    let v: UInt8
                    if c &- 0x30 < 10 {
                        v = c &- 0x30
                    } else if (c | 0x20) &- 0x61 < 6 {
                        v = (c | 0x20) &- 0x61 &+ 10
                    } else {
                        throw .malformed(i + k)
                    }
                    scalar = scalar << 4 | UInt32(v)
                }
                i += 4
            default: throw .malformed(i - 1)
            }
            if let high = pendingHigh {
                pendingHigh = nil
                if scalar & 0xFC00 == 0xDC00 {
                    append(0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00), to: &out)
                    continue
                }
                append(0xFFFD, to: &out)
            }
            if scalar & 0xFC00 == 0xD800 {
                pendingHigh = scalar
            } else {
                append(scalar & 0xF800 == 0xD800 ? 0xFFFD : scalar, to: &out)
            }
        }
        if pendingHigh != nil { append(0xFFFD, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func append(_ s: UInt32, to out: inout [UInt8]) {
        for unit in UTF8.encode(Unicode.Scalar(s) ?? "\u{FFFD}")! { out.append(unit) }
    }

    /// Gson's `nextLong`: an integer literal, an integral decimal (`1e3`), or a quoted one (`"42"`).
    mutating func long() throws(Failure) -> Int64 {
        let b = try peek()
        if b &- 0x31 < 9, let v = plainInteger() { return v }
        let start: Int
        let end: Int
        var integer: Bool
        if b == 0x22 {
            let s = try stringRange()
            (start, end, integer) = (s.start, s.end, !s.escaped)
        } else if b == 0x2D || b &- 0x30 < 10 {
            (start, end, integer) = try numberToken()
        } else {
            throw .wrongType("a long", pos)
        }
        if integer, let v = parseInt64(start, end) { return v }
        return try slowLong(start, end)
    }

    /// The common case of `long()` in one pass: 1–18 digits without a leading zero, then a delimiter (or the
    /// end). Nil, with the cursor unmoved, for anything else, which the general path reads or rejects.
    @inline(__always)
    mutating func plainInteger() -> Int64? {
        var p = pos
        var v: Int64 = 0
        while p < count && p - pos < 18 {
            let d = base[p] &- 0x30
            if d >= 10 { break }
            v = v &* 10 &+ Int64(d)
            p += 1
        }
        if p < count {
            switch base[p] {
            case 0x20, 0x0A, 0x0D, 0x09, 0x2C, 0x5D, 0x7D, 0x3A: break  // `checkDelimiter`'s set
            default: return nil
            }
        }
        pos = p
        return v
    }

    @inline(__always)
    func parseInt64(_ start: Int, _ end: Int) -> Int64? {
        var i = start
        let negative = i < end && base[i] == 0x2D
        if negative { i += 1 }
        guard i < end, end - i <= 18 else { return nil }  // 18 digits never overflow
        var v: Int64 = 0
        while i < end {
            let d = base[i] &- 0x30
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
            i += 1
        }
        return negative ? -v : v
    }

    /// Java's `(long) Double.parseDouble(text)` check that Gson uses for anything but a short integer.
    func slowLong(_ start: Int, _ end: Int) throws(Failure) -> Int64 {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        if let exact = Int64(text) { return exact }
        guard let d = Double(text.trimmingCharacters(in: " ")) else {
            throw .message(text.isEmpty ? "empty String" : "For input string: \"\(text)\"")
        }
        let v: Int64 = d.isNaN ? 0 : d >= 9.223372036854775807e18 ? .max : d <= -9.223372036854775808e18 ? .min : Int64(d)
        guard Double(v) == d else { throw .badNumber("a long", text, pos) }
        return v
    }

    /// Gson's `nextInt`: like `long()` but within Int32.
    mutating func int() throws(Failure) -> Int32 {
        let v: Int64
        do {
            v = try long()
        } catch .wrongType(_, let at) {
            throw .wrongType("an int", at)
        } catch .badNumber(_, let literal, let at) {
            throw .badNumber("an int", literal, at)
        }
        guard let i = Int32(exactly: v) else {
            let literal = String(v)
            throw .badNumber("an int", literal, pos)
        }
        return i
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = self[...]
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
