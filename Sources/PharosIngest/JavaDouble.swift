/// Java's `Double.parseDouble` grammar, with its `NumberFormatException` messages, plus OpenTSDB's
/// `Tags.looksLikeInteger` / `fitsInFloat` helpers that choose between integer and float parsing.
///
/// Accepted, as Java accepts: surrounding characters `<= ' '`, a sign, `NaN`, `Infinity`, decimal
/// literals (`1.`, `.5`, `1e-3`) and hexadecimal ones (`0x1.8p1`), each with an optional `f`/`F`/`d`/`D`
/// suffix. The result is the correctly rounded double of the text.
enum JavaDouble {
    /// True when the text has none of `.`, `e`, `E` — OpenTSDB then parses it as a long.
    @inline(__always)
    static func looksLikeInteger(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            return false
        }
        return true
    }

    /// Parses `bytes` (UTF-8) or returns the `NumberFormatException` message.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<Double, NumberFormatFailure> {
        if let quick = DecimalDouble.parsePlain(bytes, from: 0, to: bytes.count) { return .success(quick) }
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        let trimmed = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        let failure = { NumberFormatFailure(message: "For input string: \"\(String(decoding: trimmed, as: UTF8.self))\"") }
        if trimmed.isEmpty { return .failure(NumberFormatFailure(message: "empty String")) }
        guard let value = parseTrimmed(trimmed) else { return .failure(failure()) }
        return .success(value)
    }

    private static func parseTrimmed(_ s: UnsafeRawBufferPointer) -> Double? {
        let n = s.count
        var i = 0
        var negative = false
        if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") {
            negative = s[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < n else { return nil }
        let rest = UnsafeRawBufferPointer(rebasing: s[i...])
        if rest.elementsEqual("NaN".utf8) { return .nan }
        if rest.elementsEqual("Infinity".utf8) { return negative ? -.infinity : .infinity }
        if rest.count > 1, rest[0] == UInt8(ascii: "0"), rest[1] | 0x20 == UInt8(ascii: "x") {
            return parseHex(rest, negative: negative)
        }
        var digits: [UInt8] = []
        var significand: UInt64 = 0
        var significant = 0
        var fractionDigits = 0
        var sawDigit = false
        var seenDot = false
        while i < n {
            let b = s[i]
            if b >= 48, b <= 57 {
                sawDigit = true
                if seenDot { fractionDigits += 1 }
                if b != 48 || !digits.isEmpty { digits.append(b) }
                if !digits.isEmpty {
                    significant += 1
                    if significant <= 19 { significand = significand &* 10 &+ UInt64(b - 48) }
                }
            } else if b == UInt8(ascii: "."), !seenDot {
                seenDot = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if i < n, s[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
                expNegative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            while i < n, s[i] >= 48, s[i] <= 57 {
                if exponent < 100_000_000 { exponent = exponent * 10 + Int(s[i] - 48) }
                i += 1
            }
            guard i > expStart else { return nil }
            if expNegative { exponent = -exponent }
        }
        if i < n {
            let b = s[i]
            guard i == n - 1, b == UInt8(ascii: "f") || b == UInt8(ascii: "F") || b == UInt8(ascii: "d") || b == UInt8(ascii: "D")
            else { return nil }
        }
        // `digits` has no leading zeros; the value is 0.digits × 10^(intDigits + exponent) in effect.
        if digits.isEmpty { return negative ? -0.0 : 0.0 }
        let scale = exponent - fractionDigits
        if significant <= 19, let d = DecimalDouble.exact(significand: significand, exponent10: scale, negative: negative) {
            return d
        }
        let text = (negative ? "-" : "") + String(decoding: digits, as: UTF8.self) + "e" + String(scale)
        return DecimalDouble.slow(text)
    }

    /// Java's hexadecimal grammar: `0x` hex digits with an optional point, a mandatory binary exponent.
    private static func parseHex(_ s: UnsafeRawBufferPointer, negative: Bool) -> Double? {
        let n = s.count
        var i = 2
        var mantissa = ""
        var hexDigits = 0
        var seenDot = false
        while i < n {
            let b = s[i]
            let isHex = (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 102)
            if isHex {
                hexDigits += 1
                mantissa.append(Character(Unicode.Scalar(b)))
            } else if b == UInt8(ascii: "."), !seenDot {
                seenDot = true
                mantissa.append(".")
            } else {
                break
            }
            i += 1
        }
        guard hexDigits > 0, i < n, s[i] | 0x20 == UInt8(ascii: "p") else { return nil }
        i += 1
        var exponent = ""
        if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            exponent.append(Character(Unicode.Scalar(s[i])))
            i += 1
        }
        let expStart = i
        while i < n, s[i] >= 48, s[i] <= 57 {
            exponent.append(Character(Unicode.Scalar(s[i])))
            i += 1
        }
        guard i > expStart else { return nil }
        if i < n {
            let b = s[i] | 0x20
            guard i == n - 1, b == UInt8(ascii: "f") || b == UInt8(ascii: "d") else { return nil }
        }
        return DecimalDouble.slow((negative ? "-0x" : "0x") + mantissa + "p" + exponent)
    }
}
