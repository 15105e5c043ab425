import PharosCore
/// A downsample spec such as `1m-avg` or `0all-count`: buckets aligned to `t - t % interval`.
public struct Downsample: Sendable, Equatable {
    /// Bucket width in milliseconds; nil for `0all` (one bucket over the whole range).
    public var intervalMs: Int64?
    public var aggregator: Aggregator

    /// Parses `<N><unit>-<aggregator>[-<fill>]`; units ms, s, m, h, d, w, n (30 d), y (365 d).
    public init(parsing text: String) throws(QueryError) {
        let parts = text.split(separator: "-")
        guard parts.count >= 2 else { throw QueryError("Invalid downsampling specifier '\(text)'") }
        guard let aggregator = Aggregator(rawValue: String(parts[1])) else {
            throw QueryError("No such downsampling function: \(parts[1])")
        }
        self.aggregator = aggregator
        let spec = parts[0]
        if spec == "0all" {
            intervalMs = nil
            return
        }
        intervalMs = try Self.durationMs(String(spec))
    }

    /// `1m`, `2h`, `500ms` → milliseconds.
    public static func durationMs(_ spec: String) throws(QueryError) -> Int64 {
        let digits = spec.prefix { $0.isNumber }
        let unit = spec.dropFirst(digits.count)
        guard let count = Int64(digits), count > 0 else { throw QueryError("Invalid duration '\(spec)'") }
        let unitMs: Int64
        switch unit {
        case "ms": unitMs = 1
        case "s": unitMs = 1000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 7 * 86_400_000
        case "n": unitMs = 30 * 86_400_000
        case "y": unitMs = 365 * 86_400_000
        default: throw QueryError("Invalid duration unit in '\(spec)'")
        }
        return count * unitMs
    }

    /// Downsamples one series; the result's timestamps are bucket starts (`startMs` for `0all`).
    func apply(_ timestamps: [Int64], _ values: [Double], startMs: Int64) -> (timestamps: [Int64], values: [Double]) {
        guard !timestamps.isEmpty else { return ([], []) }
        var outT: [Int64] = []
        var outV: [Double] = []
        values.withUnsafeBufferPointer { vs in
            guard let interval = intervalMs else {
                outT.append(startMs)
                outV.append(aggregator.reduce(vs))
                return
            }
            var runStart = 0
            var bucket = timestamps[0] - timestamps[0] % interval
            for i in 1...timestamps.count {
                let next = i < timestamps.count ? timestamps[i] - timestamps[i] % interval : Int64.max
                if next != bucket {
                    outT.append(bucket)
                    outV.append(aggregator.reduce(UnsafeBufferPointer(rebasing: vs[runStart..<i])))
                    runStart = i
                    bucket = next
                }
            }
        }
        return (outT, outV)
    }
}
