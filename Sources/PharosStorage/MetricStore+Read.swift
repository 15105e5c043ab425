public import PharosCore
import Synchronization
extension MetricStore {
    /// Every series of `metric`, with its key, in id order.
    public func series(metric: String) -> [(SeriesRef, SeriesKey)] {
        registry.ids(metric: metric).compactMap { id in registry.key(id).map { (SeriesRef(id: id), $0) } }
    }

    /// Every metric name that has at least one series.
    public var metricNames: [String] { registry.metrics.sorted() }

    /// The key of a series, if it exists.
    public func key(of ref: SeriesRef) -> SeriesKey? { registry.key(ref.id) }

    /// The points of `ref` with `startMs <= t <= endMs`, from partitions and the head, in time order,
    /// one point per timestamp: where sources overlap the most recent write wins.
    public func read(_ ref: SeriesRef, startMs: Int64, endMs: Int64) throws(StorageError) -> PointSeries {
        var result = PointSeries()
        try read(ref, startMs: startMs, endMs: endMs, into: &result)
        return result
    }

    /// `read`, reusing `result`'s storage (it is emptied first): a query over many series decodes into one
    /// buffer instead of allocating per series.
    public func read(_ ref: SeriesRef, startMs: Int64, endMs: Int64, into result: inout PointSeries) throws(StorageError) {
        result.removeAll()
        // The head first: a seal publishes its partition before it drops the window from the head, so
        // reading in this order sees every point at least once (overlaps merge away).
        let runs: [PointSeries]
        do { runs = try head.runs(of: ref.id, startMs: startMs, endMs: endMs) } catch {
            throw StorageError(.corrupt, "head chunk of series \(ref.id) does not decode: \(error)")
        }
        let sealed = partitions.withLock { list in
            list.filter { $0.endMs > startMs && $0.startMs <= endMs && $0.entries[ref.id] != nil }
        }
        if sealed.count == 1 && runs.isEmpty {
            // The common case for history: one partition, decoded straight into the caller's buffer.
            try sealed[0].points(of: ref.id, startMs: startMs, endMs: endMs, into: &result)
            result.clip(startMs: startMs, endMs: endMs)
            return
        }
        for partition in sealed {
            var run = PointSeries()
            try partition.points(of: ref.id, startMs: startMs, endMs: endMs, into: &run)
            result.merge(newer: run)
        }
        for run in runs { result.merge(newer: run) }
        result.clip(startMs: startMs, endMs: endMs)
    }
}
