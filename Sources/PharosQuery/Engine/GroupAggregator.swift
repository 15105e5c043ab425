/// Combines the series of one group into one output series, as OpenTSDB's `AggregationIterator` does.
///
/// Output timestamps are the union of the members' timestamps inside `[startMs, endMs]`. A member takes
/// part at `x` only while `first ≤ x ≤ last` (no extrapolation at either edge); where it has no point at `x`
/// it is filled in by the aggregator's interpolation (linear, zero, type max/min, previous) — or by its
/// previous value when the members are rates. When every participating member is integral the step runs
/// in Java long arithmetic (truncating lerp, integer average), otherwise in doubles.
struct GroupAggregator {
    let aggregator: Aggregator
    let interpolation: Aggregator.Interpolation

    init(aggregator: Aggregator, rate: Bool) {
        self.aggregator = aggregator
        interpolation = rate ? .prev : aggregator.interpolation
    }

    /// The aggregated series; `integral[k]` tells whether `values[k]` is a long result.
    func run(_ members: [ProcessedSeries], startMs: Int64, endMs: Int64) -> (timestamps: [Int64], values: [Double], integral: [Bool]) {
        let members = members.filter { !$0.isEmpty }
        guard !members.isEmpty else { return ([], [], []) }
        let times = Self.union(members.map { Self.window($0.timestamps, startMs, endMs) })
        if let kind = StreamingReducer(aggregator.function), !members.contains(where: \.integral),
            members.allSatisfy({ $0.timestamps == members[0].timestamps })
        {
            return (
                times, Self.aligned(kind, members, from: Self.lowerBound(members[0].timestamps, startMs), count: times.count),
                [Bool](repeating: false, count: times.count)
            )
        }
        // Flatten the members so the loop below touches plain buffers, not arrays of arrays.
        var flatT: [Int64] = []
        var flatV: [Double] = []
        var firsts: [Int] = []
        var lasts: [Int] = []
        var cursors: [Int] = []
        var integral: [Bool] = []
        let total = members.reduce(0) { $0 + $1.timestamps.count }
        flatT.reserveCapacity(total)
        flatV.reserveCapacity(total)
        for member in members {
            firsts.append(flatT.count)
            cursors.append(flatT.count + Self.lowerBound(member.timestamps, startMs))
            flatT.append(contentsOf: member.timestamps)
            flatV.append(contentsOf: member.values)
            lasts.append(flatT.count - 1)
            integral.append(member.integral)
        }
        var outV = [Double](repeating: 0, count: times.count)
        var outI = [Bool](repeating: false, count: times.count)
        var active = [Int](repeating: 0, count: members.count)
        var doubles = [Double](repeating: 0, count: members.count)
        var longs = [Int64](repeating: 0, count: members.count)
        flatT.withUnsafeBufferPointer { ts in
            flatV.withUnsafeBufferPointer { vs in
                for (k, x) in times.enumerated() {
                    var n = 0
                    var long = true
                    for i in 0..<firsts.count {
                        guard x >= ts[firsts[i]] && x <= ts[lasts[i]] else { continue }
                        var c = cursors[i]
                        while ts[c] < x { c += 1 }
                        cursors[i] = c
                        active[n] = i
                        n += 1
                        if !integral[i] { long = false }
                    }
                    for j in 0..<n {
                        let c = cursors[active[j]]
                        if long {
                            longs[j] = ts[c] == x ? Int64(vs[c]) : longValue(ts, vs, c, x)
                        } else {
                            doubles[j] = ts[c] == x ? vs[c] : doubleValue(ts, vs, c, x)
                        }
                    }
                    if long {
                        outV[k] = Double(aggregator.reduce(&longs, count: n))
                        outI[k] = true
                    } else {
                        outV[k] = aggregator.reduce(&doubles, count: n)
                    }
                }
            }
        }
        return (times, outV, outI)
    }

    /// Members on one shared grid in double mode: nobody interpolates, so accumulate member by member
    /// (in member order, as the general path adds) into per-timestamp accumulators.
    static func aligned(_ kind: StreamingReducer, _ members: [ProcessedSeries], from: Int, count: Int) -> [Double] {
        var accumulators = [Double](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: count)
        accumulators.withUnsafeMutableBufferPointer { acc in
            counts.withUnsafeMutableBufferPointer { cnt in
                for member in members {
                    member.values.withUnsafeBufferPointer { vs in
                        for k in 0..<count {
                            let v = vs[from + k]
                            if v.isNaN { continue }
                            switch kind {
                            case .sum, .avg: acc[k] += v
                            case .min: if cnt[k] == 0 || v < acc[k] { acc[k] = v }
                            case .max: if cnt[k] == 0 || v > acc[k] { acc[k] = v }
                            case .count: break
                            }
                            cnt[k] += 1
                        }
                    }
                }
            }
        }
        for k in 0..<count {
            switch kind {
            case .sum, .min, .max: if counts[k] == 0 { accumulators[k] = .nan }
            case .avg: accumulators[k] = counts[k] == 0 ? .nan : accumulators[k] / Double(counts[k])
            case .count: accumulators[k] = Double(counts[k])
            }
        }
        return accumulators
    }

    /// The value at `x` of the member whose points `c - 1` and `c` (flat indices) surround it, in doubles.
    @inline(__always)
    private func doubleValue(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ c: Int, _ x: Int64) -> Double {
        let y0 = vs[c - 1]
        switch interpolation {
        case .lerp:
            let x0 = ts[c - 1]
            let x1 = ts[c]
            let y1 = vs[c]
            return y0 + Double(x - x0) * (y1 - y0) / Double(x1 - x0)
        case .zim: return 0
        case .max: return .greatestFiniteMagnitude
        case .min: return -.greatestFiniteMagnitude
        case .prev: return y0
        }
    }

    /// As `doubleValue`, in Java long arithmetic (the lerp truncates toward zero).
    @inline(__always)
    private func longValue(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ c: Int, _ x: Int64) -> Int64 {
        let y0 = Int64(vs[c - 1])
        switch interpolation {
        case .lerp:
            let x0 = ts[c - 1]
            let x1 = ts[c]
            let y1 = Int64(vs[c])
            return y0 &+ ((x &- x0) &* (y1 &- y0)) / (x1 - x0)
        case .zim: return 0
        case .max: return .max
        case .min: return .min
        case .prev: return y0
        }
    }

    static func lowerBound(_ ts: [Int64], _ t: Int64) -> Int {
        var lo = 0
        var hi = ts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ts[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func window(_ ts: [Int64], _ startMs: Int64, _ endMs: Int64) -> ArraySlice<Int64> {
        let lo = lowerBound(ts, startMs)
        var hi = lowerBound(ts, endMs)
        if hi < ts.count && ts[hi] == endMs { hi += 1 }
        return ts[lo..<max(lo, hi)]
    }

    /// Sorted union without duplicates; the common case (every member on the same grid) is a copy.
    static func union(_ lists: [ArraySlice<Int64>]) -> [Int64] {
        var lists = lists.filter { !$0.isEmpty }
        guard let first = lists.first else { return [] }
        if lists.allSatisfy({ $0.count == first.count && $0.first == first.first && $0.last == first.last }),
            lists.allSatisfy({ $0.elementsEqual(first) })
        {
            return Array(first)
        }
        while lists.count > 1 {
            var next: [ArraySlice<Int64>] = []
            var k = 0
            while k + 1 < lists.count {
                next.append(merge(lists[k], lists[k + 1])[...])
                k += 2
            }
            if k < lists.count { next.append(lists[k]) }
            lists = next
        }
        return Array(lists[0])
    }

    private static func merge(_ a: ArraySlice<Int64>, _ b: ArraySlice<Int64>) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(a.count + b.count)
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex && j < b.endIndex {
            let x = a[i]
            let y = b[j]
            if x < y { out.append(x); i += 1 } else if y < x { out.append(y); j += 1 } else { out.append(x); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }
}
