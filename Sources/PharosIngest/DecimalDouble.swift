/// Correctly rounded decimal-to-`Double` conversion: Clinger's fast path, else the C library.
///
/// When the decimal significand fits in 53 bits and the power of ten is at most 22, both are exact
/// doubles and one IEEE multiplication or division rounds once, so the result is correctly rounded.
/// Everything else goes through `Double(String)` (glibc `strtod`, which is correctly rounded).
enum DecimalDouble {
    /// 10^0 … 10^22, all exactly representable.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `±significand × 10^exponent10` when the fast path is exact; nil otherwise.
    @inline(__always)
    static func exact(significand: UInt64, exponent10: Int, negative: Bool) -> Double? {
        guard significand <= 1 << 53, exponent10 >= -22, exponent10 <= 22 else { return nil }
        var d = Double(significand)
        if exponent10 < 0 {
            d /= powersOfTen[-exponent10]
        } else {
            d *= powersOfTen[exponent10]
        }
        return negative ? -d : d
    }

    /// Parses plain `-?digits(.digits*)?` ASCII between `start` and `end`; nil when the text is of
    /// another shape or needs the slow path. Used by the hot paths, which then fall back.
    @inline(__always)
    static func parsePlain(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var significand: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenDot = false
        var intDigits = 0
        while i < end {
            let b = bytes[i]
            let d = b &- 48
            if d <= 9 {
                if digits < 19 {
                    significand = significand &* 10 &+ UInt64(d)
                    if significand != 0 { digits += 1 }
                    if seenDot { fraction += 1 } else { intDigits += 1 }
                } else {
                    return nil
                }
            } else if b == UInt8(ascii: "."), !seenDot {
                seenDot = true
            } else {
                return nil
            }
            i += 1
        }
        guard intDigits > 0 else { return nil }
        // Without a dot the text is an integer (Java's parseLong): "-0" is 0, not -0.0.
        if !seenDot && significand == 0 { return 0 }
        return exact(significand: significand, exponent10: -fraction, negative: negative)
    }

    /// Correctly rounded parse of an ASCII decimal or hexadecimal float literal via `strtod`.
    static func slow(_ ascii: String) -> Double? {
        Double(ascii)
    }
}
