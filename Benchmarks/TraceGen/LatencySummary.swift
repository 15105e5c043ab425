/// Percentiles of a set of request latencies (nearest-rank), in milliseconds.
struct LatencySummary {
    let count: Int
    let p50Ms: Double
    let p99Ms: Double
    let maxMs: Double
    let meanMs: Double

    init(nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let i = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[i]) / 1e6
        }
        p50Ms = rank(0.5)
        p99Ms = rank(0.99)
        maxMs = Double(sorted.last ?? 0) / 1e6
        meanMs = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
    }
}
