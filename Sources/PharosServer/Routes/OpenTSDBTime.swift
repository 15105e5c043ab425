import Foundation

/// OpenTSDB's `DateTime.parseDateTimeString` for the annotation endpoints: `now`, `<n><unit>-ago`,
/// integer epochs (up to 10 digits are seconds, longer ones milliseconds), `SSSSSSSSSS.mmm`, and
/// `yyyy/MM/dd[-HH:mm[:ss]]` (a space also separates date and time) in the server's time zone.
///
/// Kept beside the meta routes so they do not depend on the query route's parser. Pure; thread-safe.
enum OpenTSDBTime {
    /// Milliseconds since the epoch; nil for an empty text (OpenTSDB's -1), throws for a malformed one.
    static func parseMs(_ text: String?, nowMs: Int64) throws(MetaAPIError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        if text.lowercased() == "now" { return nowMs }
        if text.hasSuffix("-ago") { return nowMs - (try durationMs(String(text.dropLast(4)))) }
        if text.contains("/") { return try absoluteMs(text) }
        if let dot = text.firstIndex(of: ".") {
            let seconds = text[..<dot]
            let fraction = text[text.index(after: dot)...]
            guard seconds.count == 10, (1...3).contains(fraction.count), let s = Int64(seconds), let f = Int64(fraction), s >= 0, f >= 0
            else { throw MetaAPIError("Invalid time: \(text)") }
            return s * 1000 + f * [100, 10, 1][fraction.count - 1]
        }
        guard let value = Int64(text), value >= 0 else { throw MetaAPIError("Invalid time: \(text)") }
        return text.count <= 10 ? value * 1000 : value
    }

    /// `<positive integer><ms|s|m|h|d|w|n|y>` in milliseconds (`DateTime.parseDuration`).
    static func durationMs(_ text: String) throws(MetaAPIError) -> Int64 {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard let count = Int64(digits), count > 0 else { throw MetaAPIError("Invalid duration (number): \(text)") }
        let unitMs: Int64
        switch unit {
        case "ms": unitMs = 1
        case "s": unitMs = 1000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 604_800_000
        case "n": unitMs = 2_592_000_000
        case "y": unitMs = 31_536_000_000
        default: throw MetaAPIError("Invalid duration (suffix): \(text)")
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: unitMs)
        guard !overflow else { throw MetaAPIError("Duration is too large: \(text)") }
        return product
    }

    private static func absoluteMs(_ text: String) throws(MetaAPIError) -> Int64 {
        let pattern: String
        switch text.count {
        case 10: pattern = "yyyy/MM/dd"
        case 16: pattern = text.contains("-") ? "yyyy/MM/dd-HH:mm" : "yyyy/MM/dd HH:mm"
        case 19: pattern = text.contains("-") ? "yyyy/MM/dd-HH:mm:ss" : "yyyy/MM/dd HH:mm:ss"
        default: throw MetaAPIError("Invalid time: \(text)")
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = pattern
        formatter.isLenient = false
        guard let date = formatter.date(from: text) else { throw MetaAPIError("Invalid time: \(text)") }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
