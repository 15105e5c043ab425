import PharosCore
/// The reducers shared by downsampling (within one series) and aggregation (across series).
///
/// This is the subset the foundation needs (the benchmark's `avg`, `sum`, `count`, `min`, `max`);
/// the OpenTSDB query issue extends it to OpenTSDB's full list with its interpolation rules.
public enum Aggregator: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, zimsum, mimmin, mimmax, first, last

    /// Reduces `values`, which is never empty.
    func reduce(_ values: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .sum, .zimsum:
            var total = 0.0
            for v in values { total += v }
            return total
        case .avg:
            var total = 0.0
            for v in values { total += v }
            return total / Double(values.count)
        case .min, .mimmin: return values.min()!
        case .max, .mimmax: return values.max()!
        case .count: return Double(values.count)
        case .first: return values.first!
        case .last: return values.last!
        }
    }
}
