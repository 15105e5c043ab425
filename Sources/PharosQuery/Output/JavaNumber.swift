/// Numbers as OpenTSDB's Jackson serializer writes them: longs as integers, doubles as Java's
/// `Double.toString` (`15.0`, `0.025`, `3.0744573456182586E17`, `1.0E-4`), NaN and infinities quoted.
public enum JavaNumber {
    /// Appends `double(value)` as UTF-8; the common magnitudes take Swift's shortest form directly (it
    /// matches Java's layout for 1e-3 ≤ |v| < 1e7).
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            out.append(contentsOf: value.description.utf8)
        } else {
            out.append(contentsOf: double(value).utf8)
        }
    }

    /// Appends a long result as decimal digits.
    public static func appendLong(_ value: Double, to out: inout [UInt8]) {
        let long: Int64 = value >= 9.223372036854775807e18 ? .max : (value <= -9.223372036854775808e18 ? .min : Int64(value))
        guard long != .min else { return out.append(contentsOf: String(long).utf8) }
        var magnitude = long < 0 ? -long : long
        if long < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits, written backwards
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Java `Double.toString` layout over Swift's shortest round-trip digits.
    public static func double(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = decompose(abs(value))
        let sign = value < 0 ? "-" : ""
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            // value = 0.d1d2… × 10^exponent
            if exponent <= 0 {
                return sign + "0." + String(repeating: "0", count: -exponent) + digits
            }
            if digits.count <= exponent {
                return sign + digits + String(repeating: "0", count: exponent - digits.count) + ".0"
            }
            let cut = digits.index(digits.startIndex, offsetBy: exponent)
            return sign + digits[..<cut] + "." + digits[cut...]
        }
        let mantissaRest = digits.dropFirst()
        return sign + String(digits.prefix(1)) + "." + (mantissaRest.isEmpty ? "0" : String(mantissaRest)) + "E" + String(exponent - 1)
    }

    /// A long result.
    public static func long(_ value: Double) -> String {
        if value >= 9.223372036854775807e18 { return String(Int64.max) }
        if value <= -9.223372036854775808e18 { return String(Int64.min) }
        return String(Int64(value))
    }

    /// Shortest significant digits (no leading/trailing zeros) and the exponent e with value = 0.digits × 10^e.
    static func decompose(_ value: Double) -> (String, Int) {
        let text = "\(value)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + fracPart
        var pointPosition = intPart.count + exponent
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition)
    }
}
