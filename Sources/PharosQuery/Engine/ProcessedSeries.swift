/// One series after the per-series stages (downsample, rate): what the cross-series aggregation consumes.
///
/// `integral` is true when OpenTSDB would hold the values as Java longs: raw points (no downsample, no rate)
/// that are all integers. Integer series aggregate with long arithmetic (truncating lerp, integer average).
struct ProcessedSeries: Sendable {
    var timestamps: [Int64] = []
    var values: [Double] = []
    var integral = false
    /// Raw points read for this series (for `showSummary`).
    var rawCount = 0

    var isEmpty: Bool { timestamps.isEmpty }

    /// Whether every value is an integer that a Java long holds exactly as a double does.
    static func allIntegral(_ values: [Double]) -> Bool {
        for v in values where !(v.rounded(.towardZero) == v && abs(v) <= 9_007_199_254_740_992) { return false }
        return true
    }
}
