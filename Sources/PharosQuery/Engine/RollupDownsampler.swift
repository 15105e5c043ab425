import PharosStorage

/// Computes a fixed-interval downsample from rollup buckets whose interval divides it, giving what the
/// raw computation gives (sum, avg, min, max, count, first, last only).
enum RollupDownsampler {
    static func apply(_ rollups: RollupBuckets, downsampler: Downsampler, into output: inout ProcessedSeries) {
        output.timestamps.removeAll(keepingCapacity: true)
        output.values.removeAll(keepingCapacity: true)
        output.integral = false
        output.rawCount = Int(rollups.counts.reduce(0, +))
        let spec = downsampler.spec
        var i = 0
        while i < rollups.count {
            let start = rollups.starts[i] - rollups.starts[i] % spec.intervalMs
            var j = i
            var count: Int64 = 0
            var sum = 0.0
            var low = Double.infinity
            var high = -Double.infinity
            while j < rollups.count && rollups.starts[j] < start + spec.intervalMs {
                count += rollups.counts[j]
                sum += rollups.sums[j]
                low = min(low, rollups.mins[j])
                high = max(high, rollups.maxs[j])
                j += 1
            }
            if count > 0 {
                let value: Double =
                    switch spec.aggregator.name {
                    case "sum": sum
                    case "avg": sum / Double(count)
                    case "min": low
                    case "max": high
                    case "count": Double(count)
                    case "first": rollups.firsts[i]
                    default: rollups.lasts[j - 1]
                    }
                output.timestamps.append(start)
                output.values.append(value)
            }
            i = j
        }
        if spec.fill != .none {
            var filled = output
            downsampler.fillEmpty(&filled)
            output = filled
        }
    }
}
