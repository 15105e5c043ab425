/// Pre-aggregated buckets of one series: per bucket start, the count, sum, min, max, first and last of
/// the raw points in `[start, start + interval)`. Partitions store them at 5 min and 1 h when sealed, so a
/// long query at a coarse downsample need not decode raw points; results equal the raw computation.
public struct RollupBuckets: Sendable, Equatable {
    public var intervalMs: Int64
    /// Bucket starts (`t - t % interval`), strictly increasing.
    public var starts: [Int64] = []
    public var counts: [Int64] = []
    public var sums: [Double] = []
    public var mins: [Double] = []
    public var maxs: [Double] = []
    public var firsts: [Double] = []
    public var lasts: [Double] = []

    public init(intervalMs: Int64) {
        self.intervalMs = intervalMs
    }

    public var count: Int { starts.count }

    /// Rollup intervals the store keeps. One hour: on the node dataset it adds 0.015 bytes/point, where
    /// 5-minute rollups would add ~0.18 (six columns per 30 raw points) — too much for the storage budget.
    public static let intervalsMs: [Int64] = [3_600_000]
}
