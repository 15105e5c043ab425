/// Turns one series into its per-second rate of change (OpenTSDB's `RateSpan`), in place.
///
/// `rate_i = (v_i − v_{i−1}) / ((t_i − t_{i−1}) / 1000)` stamped `t_i`; the first point yields nothing
/// (OpenTSDB's rate against time zero is not reproduced). For counters a negative delta is a wrap:
/// dropped with `dropResets` (the next rate is taken from the post-reset point), otherwise
/// `counterMax − v_{i−1} + v_i`, and a wrapped rate above a positive `resetValue` becomes 0.
enum RateConverter {
    static func apply(_ options: RateOptions, to series: inout ProcessedSeries) {
        let n = series.timestamps.count
        series.integral = false
        guard n > 1 else {
            series.timestamps.removeAll(keepingCapacity: true)
            series.values.removeAll(keepingCapacity: true)
            return
        }
        var out = 0
        var prevT = series.timestamps[0]
        var prevV = series.values[0]
        for i in 1..<n {
            let t = series.timestamps[i]
            let v = series.values[i]
            let seconds = Double(t - prevT) / 1000
            var delta = v - prevV
            var rate: Double
            if options.counter && delta < 0 {
                if options.dropResets {
                    prevT = t
                    prevV = v
                    continue
                }
                delta = wrappedDelta(max: options.counterMax, previous: prevV, current: v)
                rate = delta / seconds
                if options.resetValue > 0 && rate > options.resetValue { rate = 0 }
            } else {
                rate = delta / seconds
            }
            series.timestamps[out] = t
            series.values[out] = rate
            out += 1
            prevT = t
            prevV = v
        }
        series.timestamps.removeSubrange(out...)
        series.values.removeSubrange(out...)
    }

    /// `max − previous + current`, in long arithmetic when all three are integers (as OpenTSDB computes
    /// integer deltas), else in doubles.
    static func wrappedDelta(max: Double, previous: Double, current: Double) -> Double {
        if max.rounded(.towardZero) == max, previous.rounded(.towardZero) == previous, current.rounded(.towardZero) == current,
            abs(previous) < 9e18, abs(current) < 9e18
        {
            let maxLong = max >= 9.223372036854775807e18 ? Int64.max : Int64(max)
            return Double(maxLong &- Int64(previous) &+ Int64(current))
        }
        return max - previous + current
    }
}
