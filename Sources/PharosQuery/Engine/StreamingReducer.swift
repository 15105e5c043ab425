/// The aggregation functions that reduce in one pass with O(1) state (NaN skipped, all-NaN → NaN,
/// `count` → number of non-NaN values): the fast paths of downsampling and of aligned aggregation.
enum StreamingReducer {
    case sum, avg, min, max, count

    init?(_ function: Aggregator.Function) {
        switch function {
        case .sum: self = .sum
        case .avg: self = .avg
        case .min: self = .min
        case .max: self = .max
        case .count: self = .count
        default: return nil
        }
    }
}
