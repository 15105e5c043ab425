import Foundation

/// Calendar-aligned bucket starts for `<n><unit>c` downsampling (OpenTSDB 2.3 `DateTime.previousInterval`):
/// buckets are anchored at the start of the enclosing larger unit in the query's zone (seconds → minute,
/// minutes → hour, hours → day, days and weeks → month, months → year), stepped by n units and
/// re-anchored at each larger-unit boundary; when n does not divide the larger unit the anchor moves one
/// level up.
enum CalendarBuckets {
    /// Gregorian calendar in `timezone` (UTC when nil); unknown zones are a 400.
    static func calendar(_ timezone: String?) throws(QueryError) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        guard let zone = TimeZone(identifier: timezone ?? "UTC") else { throw QueryError("Unknown time zone: \(timezone ?? "")") }
        calendar.timeZone = zone
        return calendar
    }

    /// Bucket starts from the one containing `fromMs` through `toMs`.
    static func starts(unit: Substring, count: Int64, fromMs: Int64, toMs: Int64, timezone: String?) throws(QueryError) -> [Int64] {
        let calendar = try calendar(timezone)
        let step: Calendar.Component
        var parent: Calendar.Component?
        var divisor: Int64 = 0
        switch unit {
        case "s": (step, parent, divisor) = (.second, .minute, 60)
        case "m": (step, parent, divisor) = (.minute, .hour, 60)
        case "h": (step, parent, divisor) = (.hour, .day, 24)
        case "d": (step, parent) = (.day, .month)
        case "w": (step, parent) = (.weekOfYear, .year)
        case "n": (step, parent, divisor) = (.month, .year, 12)
        default: (step, parent) = (.year, nil)
        }
        if divisor > 0 && divisor % count != 0 {
            parent =
                switch parent {
                case .minute: .hour
                case .hour: .day
                case .day: .month
                default: .year
                }
        }
        let from = Date(timeIntervalSince1970: Double(fromMs) / 1000)
        var periodStart =
            parent.flatMap { calendar.dateInterval(of: $0, for: from)?.start }
            ?? calendar.dateInterval(of: .year, for: from)!.start
        var out: [Int64] = []
        let to = Double(toMs) / 1000
        while periodStart.timeIntervalSince1970 <= to && out.count < 10_000_000 {
            let periodEnd = parent.flatMap { calendar.date(byAdding: $0, value: 1, to: periodStart) } ?? .distantFuture
            var k = 0
            while let bucket = calendar.date(byAdding: step, value: k * Int(count), to: periodStart), bucket < periodEnd,
                bucket.timeIntervalSince1970 <= to
            {
                let ms = Int64((bucket.timeIntervalSince1970 * 1000).rounded())
                out.append(ms)
                k += 1
            }
            if parent == nil { break }
            periodStart = periodEnd
        }
        // Keep only the bucket containing `fromMs` and later ones.
        if let firstAfter = out.firstIndex(where: { $0 > fromMs }), firstAfter > 1 { out.removeFirst(firstAfter - 1) }
        return out
    }
}
