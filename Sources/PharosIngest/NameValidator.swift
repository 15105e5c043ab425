/// OpenTSDB's `Tags.validateString`: the character set of metric names, tag keys and tag values.
///
/// Allowed: `a-z A-Z 0-9 - _ . /` and any character Java's `Character.isLetter(char)` accepts (general
/// categories Lu, Ll, Lt, Lm, Lo). Java tests UTF-16 units, so letters outside the Basic Multilingual
/// Plane are illegal there too; Pharos prints the whole code point where Java would print half of it.
enum NameValidator {
    /// Nil when `text` is valid, else OpenTSDB's `IllegalArgumentException` message for `what`
    /// (`metric name`, `tag name with value [v]`, `tag value with key [k]`).
    static func check(_ what: @autoclosure () -> String, _ text: String?, hadInvalidUTF8: Bool = false) -> PutError? {
        guard let text else { return .illegal("Invalid \(what()): null") }
        if text.isEmpty { return .illegal("Invalid \(what()): empty string") }
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if !isNameByte(byte) {
                return .illegal("Invalid \(what()) (\"\(text)\"): illegal character: \(Character(Unicode.Scalar(byte)))")
            }
        }
        if ascii { return nil }
        for scalar in text.unicodeScalars where !isAllowed(scalar) {
            let note = hadInvalidUTF8 && scalar == "\u{FFFD}" ? " (invalid UTF-8)" : ""
            return .illegal("Invalid \(what()) (\"\(text)\"): illegal character: \(scalar)\(note)")
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return isNameByte(UInt8(scalar.value)) }
        guard scalar.value <= 0xFFFF else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `a-z A-Z 0-9 - _ . /` as two 64-bit masks.
    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        let low: UInt64 = (1 << 45) | (1 << 46) | (1 << 47) | (0x3FF << 48)
        let high: UInt64 = (0x3FF_FFFF << 1) | (1 << 31) | (0x3FF_FFFF << 33)
        if b < 64 { return (low >> UInt64(b)) & 1 != 0 }
        if b < 128 { return (high >> UInt64(b - 64)) & 1 != 0 }
        return false
    }
}
