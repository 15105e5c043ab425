/// OpenTSDB's `Tags.parseLong`: `[+-]?[0-9]{1,19}` with Java's exact failure messages.
///
/// Checks run in OpenTSDB's order: empty, lone sign, length (in UTF-16 units, as Java counts), each
/// character left to right, then overflow. Accumulates negatively with wrapping, as the Java code does,
/// so `-9223372036854775808` parses and `9223372036854775808` is `Overflow in …`.
enum JavaLong {
    /// Parses `bytes` (UTF-8) or returns the `NumberFormatException` message.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, NumberFormatFailure> {
        let n = bytes.count
        // Common case first: short, ASCII, digits after an optional '-'.
        if n > 0, n <= 18 {
            var i = 0
            let negative = bytes[0] == UInt8(ascii: "-")
            if negative { i = 1 }
            if i < n {
                var v: Int64 = 0
                var clean = true
                while i < n {
                    let d = bytes[i] &- 48
                    if d > 9 {
                        clean = false
                        break
                    }
                    v = v &* 10 &+ Int64(d)
                    i += 1
                }
                if clean { return .success(negative ? -v : v) }
            }
        }
        var isASCII = true
        for byte in bytes where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            return parse(units: bytes.lazy.map { UInt16($0) }, text: bytes)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return parse(units: Array(text.utf16), text: bytes)
    }

    private static func parse(
        units: some RandomAccessCollection<UInt16>, text: UnsafeRawBufferPointer
    ) -> Result<Int64, NumberFormatFailure> {
        let s = { String(decoding: text, as: UTF8.self) }
        let chars = Array(units)
        let n = chars.count
        if n == 0 { return .failure(NumberFormatFailure(message: "Empty string")) }
        let plus = UInt16(UInt8(ascii: "+"))
        let minus = UInt16(UInt8(ascii: "-"))
        var c = chars[0]
        var i = 1
        if c == plus || c == minus {
            if n == 1 { return .failure(NumberFormatFailure(message: "Just a sign, no value: \(s())")) }
            if n > 20 { return .failure(NumberFormatFailure(message: "Value too long: \(s())")) }
            c = chars[1]
            i = 2
        } else if n > 19 {
            return .failure(NumberFormatFailure(message: "Value too long: \(s())"))
        }
        var v: Int64 = 0
        while true {
            if c >= 48, c <= 57 {
                v = v &- Int64(c - 48)
            } else {
                let shown = JavaChar.render(chars, at: i - 1)
                return .failure(NumberFormatFailure(message: "Invalid character '\(shown)' in \(s())"))
            }
            if i == n { break }
            v = v &* 10
            c = chars[i]
            i += 1
        }
        if v > 0 { return .failure(NumberFormatFailure(message: "Overflow in \(s())")) }
        if chars[0] == minus { return .success(v) }
        if v == .min { return .failure(NumberFormatFailure(message: "Overflow in \(s())")) }
        return .success(-v)
    }
}

/// Renders one Java `char` of a UTF-16 string for an error message.
///
/// A surrogate half cannot be printed on its own; Pharos prints the whole code point it belongs to
/// where OpenTSDB would print a lone surrogate (which its UTF-8 encoder turns into `?`).
enum JavaChar {
    static func render(_ units: [UInt16], at index: Int) -> String {
        let unit = units[index]
        if UTF16.isLeadSurrogate(unit), index + 1 < units.count {
            return String(decoding: Array(units[index...(index + 1)]), as: UTF16.self)
        }
        if UTF16.isTrailSurrogate(unit), index > 0 {
            return String(decoding: Array(units[(index - 1)...index]), as: UTF16.self)
        }
        return String(decoding: CollectionOfOne(unit), as: UTF16.self)
    }
}
