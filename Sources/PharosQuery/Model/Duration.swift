/// OpenTSDB durations (`100ms`, `1m`, `2h`, `1d`, `1w`, `1n` = 30 days, `1y` = 365 days), as
/// `DateTime.parseDuration` reads them: a positive integer and a unit.
enum Duration {
    /// Milliseconds per unit letter(s).
    static func unitMs(_ unit: Substring) -> Int64? {
        switch unit {
        case "ms": 1
        case "s": 1000
        case "m": 60_000
        case "h": 3_600_000
        case "d": 86_400_000
        case "w": 604_800_000
        case "n": 2_592_000_000
        case "y": 31_536_000_000
        default: nil
        }
    }

    /// Splits `<n><unit>` into its count and unit; throws OpenTSDB's messages.
    static func parts(_ text: Substring) throws(QueryError) -> (count: Int64, unit: Substring) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, let count = Int64(digits) else { throw QueryError("Invalid duration (number): \(text)") }
        guard count > 0 else { throw QueryError("Zero or negative duration: \(text)") }
        guard unitMs(unit) != nil else { throw QueryError("Invalid units in the duration: \(unit)") }
        return (count, unit)
    }

    /// `<n><unit>` in milliseconds.
    static func milliseconds(_ text: Substring) throws(QueryError) -> Int64 {
        let (count, unit) = try parts(text)
        let (product, overflow) = count.multipliedReportingOverflow(by: unitMs(unit)!)
        guard !overflow else { throw QueryError("Invalid duration (number): \(text)") }
        return product
    }
}
