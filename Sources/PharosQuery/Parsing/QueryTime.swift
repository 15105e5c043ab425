import Foundation

/// OpenTSDB's time forms (`DateTime.parseDateTimeString`): `now`, `<n><unit>-ago`, epoch seconds
/// (≤ 10 digits) or milliseconds, `seconds.mmm`, and `yyyy/MM/dd[-HH:mm[:ss]]` (a space may replace `-`)
/// in the given zone.
public enum QueryTime {
    /// Milliseconds since the epoch for `text`, relative to `nowMs`.
    public static func parse(_ text: String, nowMs: Int64, timezone: String? = nil) throws(QueryError) -> Int64 {
        guard !text.isEmpty else { throw QueryError("Missing time") }
        let lower = text.lowercased()
        if lower == "now" { return nowMs }
        if lower.hasSuffix("-ago") { return nowMs - (try Duration.milliseconds(lower.dropLast(4)[...])) }
        if text.contains("/") || text.contains(":") { return try absolute(text, timezone: timezone) }
        if text.hasSuffix("ms"), let ms = Int64(text.dropLast(2)) { return ms }
        if let dot = text.firstIndex(of: ".") {
            let seconds = text[..<dot]
            let fraction = text[text.index(after: dot)...]
            guard seconds.count == 10, (1...3).contains(fraction.count), let s = Int64(seconds), let f = Int64(fraction) else {
                throw QueryError(
                    "Invalid time: \(text). Millisecond timestamps must be in the format <seconds>.<ms> where the milliseconds are limited to 3 digits"
                )
            }
            return s * 1000 + f * [100, 10, 1][fraction.count - 1]
        }
        guard let value = Int64(text) else {
            let bad = text.first { !($0.isASCII && $0.isNumber) } ?? text.first!
            throw QueryError("Invalid time: \(text). Invalid character '\(bad)' in \(text)")
        }
        guard value >= 0 else { throw QueryError("Invalid time: \(text). Negative timestamps are not supported.") }
        return text.count <= 10 ? value * 1000 : value
    }

    /// A JSON `start`/`end`, which may be a number or a string.
    public static func parse(json value: Any, nowMs: Int64, timezone: String?) throws(QueryError) -> Int64 {
        if let number = value as? NSNumber, !(value is Bool) {
            return try parse(number.stringValue, nowMs: nowMs, timezone: timezone)
        }
        guard let text = value as? String else { throw QueryError("Invalid time: \(value)") }
        return try parse(text, nowMs: nowMs, timezone: timezone)
    }

    static func absolute(_ text: String, timezone: String?) throws(QueryError) -> Int64 {
        let chars = Array(text)
        func number(_ range: Range<Int>) -> Int? { range.upperBound <= chars.count ? Int(String(chars[range])) : nil }
        guard [10, 16, 19].contains(chars.count) else { throw QueryError("Invalid absolute date: \(text)") }
        guard chars[4] == "/", chars[7] == "/", let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
            throw QueryError("Invalid date: \(text). Unparseable date: \"\(text)\"")
        }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        if chars.count >= 16 {
            guard chars[10] == "-" || chars[10] == " ", chars[13] == ":", let hour = number(11..<13), let minute = number(14..<16) else {
                throw QueryError("Invalid date: \(text). Unparseable date: \"\(text)\"")
            }
            components.hour = hour
            components.minute = minute
        }
        if chars.count == 19 {
            guard chars[16] == ":", let second = number(17..<19) else {
                throw QueryError("Invalid date: \(text). Unparseable date: \"\(text)\"")
            }
            components.second = second
        }
        let calendar = try CalendarBuckets.calendar(timezone)
        guard let date = calendar.date(from: components) else { throw QueryError("Invalid date: \(text)") }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
