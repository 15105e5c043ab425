public import PharosCore
public import PharosStorage

/// Where the engine reads series from: the store in the daemon, an in-memory fixture in tests.
///
/// Implementations must be safe to call from several threads at once (the engine reads series in
/// parallel, each thread with its own buffer).
public protocol MetricSource: Sendable {
    /// Every series of `metric` with its key, in id order; empty when the metric does not exist.
    func series(metric: String) -> [(SeriesRef, SeriesKey)]
    /// The key of a series, if it exists (for `tsuids` queries).
    func key(of ref: SeriesRef) -> SeriesKey?
    /// The points of `ref` with `startMs <= t <= endMs`, in time order, into a reused buffer.
    func read(_ ref: SeriesRef, startMs: Int64, endMs: Int64, into result: inout PointSeries) throws
    /// Pre-aggregated buckets of `intervalMs` covering exactly the points of `[startMs, endMs]`, or nil
    /// when the source has none for that range (the engine then reads raw points).
    func rollups(_ ref: SeriesRef, intervalMs: Int64, startMs: Int64, endMs: Int64) throws -> RollupBuckets?
}

/// The store already has every requirement: `series(metric:)`, `key(of:)`, `read(_:startMs:endMs:into:)` and
/// `rollups(_:intervalMs:startMs:endMs:)` (`MetricStore+Rollups.swift`).
extension MetricStore: MetricSource {}
