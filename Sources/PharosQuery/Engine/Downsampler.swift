import PharosStorage

/// Reduces one series' points into buckets (OpenTSDB's `Downsampler` / `FillingDownsampler`).
///
/// Buckets are `[ts - ts % interval, + interval)` (epoch-aligned), calendar buckets from `CalendarBuckets`,
/// or one `[start, end)` bucket for `0all` stamped with the start. Output values are always doubles.
/// With a fill policy every bucket in the window is emitted, NaN or 0 where empty.
struct Downsampler {
    let spec: DownsampleSpec
    /// Calendar bucket starts covering the window (calendar specs only), strictly increasing.
    let boundaries: [Int64]
    /// The window whose buckets a fill policy emits: first and last bucket start.
    let fillFirstMs: Int64
    let fillLastMs: Int64
    /// When rollups could serve this downsample: their interval. Sums then add per-rollup-bucket partial
    /// sums, in the order the rollup path adds them, so both paths give bit-identical results.
    var partialMs: Int64 = 0

    /// Bucket start for `t` (fixed and `0all` specs use `allStartMs` for the latter).
    @inline(__always)
    private func bucket(_ t: Int64, hint: inout Int) -> (start: Int64, end: Int64) {
        if spec.calendarUnit != nil {
            while hint + 1 < boundaries.count && boundaries[hint + 1] <= t { hint += 1 }
            let end = hint + 1 < boundaries.count ? boundaries[hint + 1] : Int64.max
            return (boundaries[hint], end)
        }
        let start = t - ((t % spec.intervalMs) + spec.intervalMs) % spec.intervalMs
        return (start, start + spec.intervalMs)
    }

    /// Downsamples `input` (time-ordered) into `output`, replacing its contents.
    func apply(_ input: PointSeries, allStartMs: Int64, into output: inout ProcessedSeries) {
        output.timestamps.removeAll(keepingCapacity: true)
        output.values.removeAll(keepingCapacity: true)
        output.integral = false
        guard !input.isEmpty else { return }
        var scratch: [Double] = []
        input.values.withUnsafeBufferPointer { vs in
            input.timestamps.withUnsafeBufferPointer { ts in
                if spec.isAll {
                    output.timestamps.append(allStartMs)
                    output.values.append(reduce(ts, vs, 0, vs.count, &scratch))
                    return
                }
                if spec.calendarUnit == nil, partialMs == 0, let kind = StreamingReducer(spec.aggregator.function) {
                    Self.streaming(kind, interval: spec.intervalMs, ts, vs, into: &output)
                    return
                }
                var hint = 0
                var i = 0
                let n = ts.count
                if spec.calendarUnit != nil { while hint + 1 < boundaries.count && boundaries[hint + 1] <= ts[0] { hint += 1 } }
                while i < n {
                    let (start, end) = bucket(ts[i], hint: &hint)
                    var j = i + 1
                    while j < n && ts[j] < end { j += 1 }
                    output.timestamps.append(start)
                    output.values.append(reduce(ts, vs, i, j, &scratch))
                    i = j
                }
            }
        }
        if spec.fill != .none { fillEmpty(&output) }
    }

    /// One pass over the points for the reducers that need no buffer: the common downsamplers.
    private static func streaming(
        _ kind: StreamingReducer, interval: Int64, _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>,
        into output: inout ProcessedSeries
    ) {
        switch kind {
        case .sum: streamingLoop(interval, ts, vs, &output, initial: 0, combine: { $0 += $1 }, finish: { $1 > 0 ? $0 : .nan })
        case .avg: streamingLoop(interval, ts, vs, &output, initial: 0, combine: { $0 += $1 }, finish: { $1 > 0 ? $0 / Double($1) : .nan })
        case .min:
            streamingLoop(
                interval, ts, vs, &output, initial: .nan, combine: { a, v in if v < a || a.isNaN { a = v } }, finish: { a, _ in a })
        case .max:
            streamingLoop(
                interval, ts, vs, &output, initial: .nan, combine: { a, v in if v > a || a.isNaN { a = v } }, finish: { a, _ in a })
        case .count: streamingLoop(interval, ts, vs, &output, initial: 0, combine: { _, _ in }, finish: { Double($1) })
        }
    }

    /// The loop of `streaming`, specialised per reducer by inlining. `combine` folds a non-NaN value into
    /// the accumulator (starting at `initial`: 0 for sums, NaN for min/max), `finish` gives the bucket's value.
    @inline(__always)
    private static func streamingLoop(
        _ interval: Int64, _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ output: inout ProcessedSeries,
        initial: Double, combine: (inout Double, Double) -> Void, finish: (Double, Int) -> Double
    ) {
        let n = ts.count
        let estimate = Int((ts[n - 1] - ts[0]) / interval) + 2
        var starts = [Int64](repeating: 0, count: estimate)
        var values = [Double](repeating: 0, count: estimate)
        var out = 0
        starts.withUnsafeMutableBufferPointer { starts in
            values.withUnsafeMutableBufferPointer { values in
                var k = 0
                var bucketEnd = ts[0] - ((ts[0] % interval) + interval) % interval  // the first bucket's start
                while k < n {
                    // Consecutive buckets are the common case: no 64-bit division (tens of cycles) per bucket.
                    let bucketStart =
                        ts[k] >= bucketEnd && ts[k] - bucketEnd < interval
                        ? bucketEnd : ts[k] - ((ts[k] % interval) + interval) % interval
                    bucketEnd = bucketStart + interval
                    var accumulator = initial
                    var count = 0
                    while k < n && ts[k] < bucketEnd {
                        let v = vs[k]
                        k += 1
                        if v.isNaN { continue }
                        combine(&accumulator, v)
                        count += 1
                    }
                    starts[out] = bucketStart
                    values[out] = finish(accumulator, count)
                    out += 1
                }
            }
        }
        starts.removeSubrange(out...)
        values.removeSubrange(out...)
        output.timestamps = starts
        output.values = values
    }

    /// Reduces `vs[from..<to]` (never empty) with the downsample function; the common ones stream.
    @inline(__always)
    private func reduce(
        _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ from: Int, _ to: Int, _ scratch: inout [Double]
    ) -> Double {
        switch spec.aggregator.function {
        case .avg where partialMs > 0, .sum where partialMs > 0:
            var total = 0.0
            var count = 0
            var k = from
            while k < to {
                let end = ts[k] - ts[k] % partialMs + partialMs
                var part = 0.0
                while k < to && ts[k] < end {
                    if !vs[k].isNaN { part += vs[k]; count += 1 }
                    k += 1
                }
                total += part
            }
            if count == 0 { return .nan }
            return spec.aggregator.function == .sum ? total : total / Double(count)
        case .avg:
            var total = 0.0
            var count = 0
            for k in from..<to where !vs[k].isNaN { total += vs[k]; count += 1 }
            return count > 0 ? total / Double(count) : .nan
        case .sum:
            var total = 0.0
            var seen = false
            for k in from..<to where !vs[k].isNaN { total += vs[k]; seen = true }
            return seen ? total : .nan
        case .first: return vs[from]
        case .last: return vs[to - 1]
        default:
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: vs[from..<to]))
            return spec.aggregator.reduce(&scratch, count: to - from)
        }
    }

    /// Inserts the empty buckets of the fill window.
    func fillEmpty(_ series: inout ProcessedSeries) {
        let empty: Double = spec.fill == .zero ? 0 : .nan
        var starts: [Int64] = []
        if spec.calendarUnit != nil {
            starts = boundaries.filter { $0 >= fillFirstMs && $0 <= fillLastMs }
        } else {
            var t = fillFirstMs
            while t <= fillLastMs {
                starts.append(t)
                t += spec.intervalMs
            }
        }
        var outT: [Int64] = []
        var outV: [Double] = []
        outT.reserveCapacity(starts.count + series.timestamps.count)
        outV.reserveCapacity(starts.count + series.timestamps.count)
        var j = 0
        for start in starts {
            while j < series.timestamps.count && series.timestamps[j] < start {
                outT.append(series.timestamps[j]); outV.append(series.values[j]); j += 1
            }
            if j < series.timestamps.count && series.timestamps[j] == start {
                outT.append(start); outV.append(series.values[j]); j += 1
            } else {
                outT.append(start); outV.append(empty)
            }
        }
        while j < series.timestamps.count { outT.append(series.timestamps[j]); outV.append(series.values[j]); j += 1 }
        series.timestamps = outT
        series.values = outV
    }
}
