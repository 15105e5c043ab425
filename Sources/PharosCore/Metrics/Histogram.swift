import Synchronization

/// A Prometheus-style cumulative histogram of seconds with fixed buckets, lock-free to record.
public final class Histogram: Sendable {
    /// Upper bounds in seconds; `+Inf` is implicit.
    public let bounds: [Double]
    private let buckets: [Counter]
    private let sumMicros = Atomic<Int64>(0)
    private let total = Atomic<Int64>(0)

    /// Default bounds span 100 µs to 10 s, which covers an HTTP request and a partition flush alike.
    public init(bounds: [Double] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]) {
        self.bounds = bounds
        self.buckets = bounds.map { _ in Counter() }
    }

    public func record(seconds: Double) {
        for (index, bound) in bounds.enumerated() where seconds <= bound {
            buckets[index].add(1)
            break
        }
        total.wrappingAdd(1, ordering: .relaxed)
        sumMicros.wrappingAdd(Int64((seconds * 1_000_000).rounded()), ordering: .relaxed)
    }

    public func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        record(seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Cumulative counts per bound, then the total count and the sum in seconds.
    public func snapshot() -> (cumulative: [Int64], count: Int64, sum: Double) {
        var running: Int64 = 0
        let cumulative = buckets.map { bucket -> Int64 in
            running += bucket.value
            return running
        }
        return (cumulative, total.load(ordering: .relaxed), Double(sumMicros.load(ordering: .relaxed)) / 1_000_000)
    }
}
