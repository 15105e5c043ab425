import Foundation

extension Aggregator {
    /// Reduces doubles as OpenTSDB's `runDouble` does: NaN is skipped by the arithmetic functions and an
    /// all-NaN input gives NaN (`count` gives the number of non-NaN values). `values` is never empty and
    /// may be reordered (order statistics sort it in place).
    func reduce(_ values: inout [Double], count n: Int) -> Double {
        switch function {
        case .sum:
            var total = 0.0
            var seen = false
            for i in 0..<n where !values[i].isNaN { total += values[i]; seen = true }
            return seen ? total : .nan
        case .squareSum:
            var total = 0.0
            var seen = false
            for i in 0..<n where !values[i].isNaN { total += values[i] * values[i]; seen = true }
            return seen ? total : .nan
        case .avg:
            var total = 0.0
            var count = 0
            for i in 0..<n where !values[i].isNaN { total += values[i]; count += 1 }
            return count > 0 ? total / Double(count) : .nan
        case .min:
            var best = Double.nan
            for i in 0..<n where !values[i].isNaN && (best.isNaN || values[i] < best) { best = values[i] }
            return best
        case .max:
            var best = Double.nan
            for i in 0..<n where !values[i].isNaN && (best.isNaN || values[i] > best) { best = values[i] }
            return best
        case .count:
            var count = 0
            for i in 0..<n where !values[i].isNaN { count += 1 }
            return Double(count)
        case .mult:
            var product = 1.0
            var seen = false
            for i in 0..<n where !values[i].isNaN { product *= values[i]; seen = true }
            return seen ? product : .nan
        case .first, .none: return values[0]
        case .last: return values[n - 1]
        case .diff: return values[n - 1] - values[0]
        case .dev:
            var count = 0
            var mean = 0.0
            var m2 = 0.0
            for i in 0..<n where !values[i].isNaN {
                count += 1
                let delta = values[i] - mean
                mean += delta / Double(count)
                m2 += delta * (values[i] - mean)
            }
            return count == 0 ? .nan : (count == 1 ? 0 : (m2 / Double(count)).squareRoot())
        case .median:
            let sorted = Self.sortedNonNaN(values, n)
            return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        case .percentile(let p, let estimation):
            let sorted = Self.sortedNonNaN(values, n)
            return sorted.isEmpty ? .nan : Self.percentile(sorted, p, estimation)
        }
    }

    /// Reduces integers as OpenTSDB's `runLong` does: Java `long` arithmetic (wrapping, division truncating
    /// toward zero), order statistics truncated to an integer.
    func reduce(_ values: inout [Int64], count n: Int) -> Int64 {
        switch function {
        case .sum:
            var total: Int64 = 0
            for i in 0..<n { total &+= values[i] }
            return total
        case .squareSum:
            var total: Int64 = 0
            for i in 0..<n { total &+= values[i] &* values[i] }
            return total
        case .avg:
            var total: Int64 = 0
            for i in 0..<n { total &+= values[i] }
            return total / Int64(n)
        case .min:
            var best = values[0]
            for i in 1..<max(1, n) where values[i] < best { best = values[i] }
            return best
        case .max:
            var best = values[0]
            for i in 1..<max(1, n) where values[i] > best { best = values[i] }
            return best
        case .count: return Int64(n)
        case .mult:
            var product: Int64 = 1
            for i in 0..<n { product &*= values[i] }
            return product
        case .first, .none: return values[0]
        case .last: return values[n - 1]
        case .diff: return values[n - 1] &- values[0]
        case .dev:
            var doubles = values[0..<n].map(Double.init)
            return Self.truncate(reduce(&doubles, count: n))
        case .median:
            let sorted = values[0..<n].sorted()
            return sorted[n / 2]
        case .percentile(let p, let estimation):
            let sorted = values[0..<n].sorted().map(Double.init)
            return Self.truncate(Self.percentile(sorted, p, estimation))
        }
    }

    /// Java's `(long) d`: toward zero, NaN → 0, saturating.
    static func truncate(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9.223372036854775807e18 { return .max }
        if value <= -9.223372036854775808e18 { return .min }
        return Int64(value)
    }

    private static func sortedNonNaN(_ values: [Double], _ n: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(n)
        for i in 0..<n where !values[i].isNaN { out.append(values[i]) }
        out.sort()
        return out
    }

    /// commons-math3 `Percentile` with the given estimation type, `p` in percent, over sorted values.
    static func percentile(_ sorted: [Double], _ p: Double, _ estimation: PercentileEstimation) -> Double {
        let n = Double(sorted.count)
        let q = p / 100
        let position: Double
        switch estimation {
        case .legacy: position = q == 0 ? 0 : (q == 1 ? n : q * (n + 1))
        case .r3: position = q <= 0.5 / n ? 0 : (n * q).rounded(.toNearestOrEven)
        case .r7: position = q == 1 ? n : 1 + (n - 1) * q
        }
        if position < 1 { return sorted[0] }
        if position >= n { return sorted[sorted.count - 1] }
        let whole = position.rounded(.down)
        let lower = sorted[Int(whole) - 1]
        let upper = sorted[Int(whole)]
        return lower + (position - whole) * (upper - lower)
    }
}
