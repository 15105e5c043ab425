import Foundation
import PharosCore

@testable import PharosQuery

/// A slow, obviously-correct restatement of OpenTSDB's pipeline for property tests: dictionaries of
/// buckets, brute-force neighbour search, two-pass statistics. Double mode only, plus long mode for
/// raw integer series.
enum ReferenceEngine {
    static func reduce(_ name: String, _ values: [Double]) -> Double {
        let xs = values.filter { !$0.isNaN }
        switch name {
        case "sum", "zimsum", "pfsum": return xs.isEmpty ? .nan : xs.reduce(0, +)
        case "avg": return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
        case "min", "mimmin": return xs.min() ?? .nan
        case "max", "mimmax": return xs.max() ?? .nan
        case "count": return Double(xs.count)
        case "first": return values.first!
        case "last": return values.last!
        case "median": return xs.isEmpty ? .nan : xs.sorted()[xs.count / 2]
        case "dev":
            guard !xs.isEmpty else { return .nan }
            let mean = xs.reduce(0, +) / Double(xs.count)
            return (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)).squareRoot()
        default: fatalError("reference has no \(name)")
        }
    }

    static func reduceLong(_ name: String, _ values: [Int64]) -> Int64 {
        switch name {
        case "sum", "zimsum", "pfsum": return values.reduce(0, &+)
        case "avg": return values.reduce(0, &+) / Int64(values.count)
        case "min", "mimmin": return values.min()!
        case "max", "mimmax": return values.max()!
        case "count": return Int64(values.count)
        case "median": return values.sorted()[values.count / 2]
        case "dev": return Int64(reduce("dev", values.map(Double.init)))
        default: fatalError("reference has no long \(name)")
        }
    }

    struct Series {
        var points: [(Int64, Double)]
        var integral: Bool
    }

    /// `agg:[interval-dsAgg[-fill]:][rate[{counter,max}]:]` over `series` (ms points), output in `[start, end]`.
    static func run(
        _ series: [[(Int64, Double)]], agg: String, downsample: (interval: Int64, agg: String, fill: String)?, rate: RateOptions?,
        start: Int64, end: Int64
    ) -> [(Int64, Double, Bool)] {
        let hour: Int64 = 3_600_000
        var scanStart = start
        var scanEnd = end
        if let ds = downsample {
            scanStart -= scanStart % ds.interval
            scanEnd = scanEnd - scanEnd % ds.interval + ds.interval
        }
        scanStart -= scanStart % hour
        scanEnd = scanEnd - scanEnd % hour + hour
        var processed: [Series] = []
        for raw in series {
            var points = raw.filter { $0.0 >= scanStart && $0.0 < scanEnd }
            if points.isEmpty { continue }
            var integral = downsample == nil && rate == nil && points.allSatisfy { $0.1 == $0.1.rounded() }
            if let ds = downsample {
                var buckets: [Int64: [Double]] = [:]
                for (t, v) in points { buckets[t - t % ds.interval, default: []].append(v) }
                if ds.fill != "none" {
                    var b = scanStart - scanStart % ds.interval
                    while b <= (scanEnd - 1) - (scanEnd - 1) % ds.interval {
                        if buckets[b] == nil { buckets[b] = [] }
                        b += ds.interval
                    }
                }
                points = buckets.keys.sorted().map { b in
                    let values = buckets[b]!
                    return (b, values.isEmpty ? (ds.fill == "zero" ? 0 : .nan) : reduce(ds.agg, values))
                }
                integral = false
            }
            if let rate {
                var out: [(Int64, Double)] = []
                var prev = points[0]
                for p in points.dropFirst() {
                    var delta = p.1 - prev.1
                    if rate.counter && delta < 0 {
                        if rate.dropResets { prev = p; continue }
                        delta = rate.counterMax - prev.1 + p.1
                        var r = delta / (Double(p.0 - prev.0) / 1000)
                        if rate.resetValue > 0 && r > rate.resetValue { r = 0 }
                        out.append((p.0, r))
                    } else {
                        out.append((p.0, delta / (Double(p.0 - prev.0) / 1000)))
                    }
                    prev = p
                }
                points = out
                integral = false
            }
            if !points.isEmpty { processed.append(Series(points: points, integral: integral)) }
        }
        let times = Set(processed.flatMap { $0.points.map(\.0) }).filter { $0 >= start && $0 <= end }.sorted()
        let interpolation = rate != nil ? Aggregator.Interpolation.prev : Aggregator.named(agg)!.interpolation
        var out: [(Int64, Double, Bool)] = []
        for x in times {
            let active = processed.filter { $0.points.first!.0 <= x && x <= $0.points.last!.0 }
            let long = active.allSatisfy(\.integral)
            var doubles: [Double] = []
            var longs: [Int64] = []
            for s in active {
                if let exact = s.points.first(where: { $0.0 == x }) {
                    doubles.append(exact.1)
                    if long { longs.append(Int64(exact.1)) }
                    continue
                }
                let before = s.points.last { $0.0 < x }!
                let after = s.points.first { $0.0 > x }!
                switch interpolation {
                case .lerp:
                    doubles.append(before.1 + Double(x - before.0) * (after.1 - before.1) / Double(after.0 - before.0))
                    if long { longs.append(Int64(before.1) + (x - before.0) * (Int64(after.1) - Int64(before.1)) / (after.0 - before.0)) }
                case .zim: doubles.append(0); longs.append(0)
                case .max: doubles.append(.greatestFiniteMagnitude); longs.append(.max)
                case .min: doubles.append(-.greatestFiniteMagnitude); longs.append(.min)
                case .prev: doubles.append(before.1); if long { longs.append(Int64(before.1)) }
                }
            }
            out.append(long ? (x, Double(reduceLong(agg, longs)), true) : (x, reduce(agg, doubles), false))
        }
        return out
    }
}

