import PharosCore
import Synchronization

extension MetricStore {
    /// Exact per-bucket count, sum, min, max, first and last of `ref`'s points in `[startMs, endMs]`, in
    /// buckets of `intervalMs` aligned to `t - t % intervalMs`; nil when the store keeps no rollups at
    /// that interval (the caller then downsamples raw points itself).
    ///
    /// A bucket comes from the stored rollups when it lies wholly inside the range and inside one partition
    /// that no other partition or the head overlaps for this series; every other bucket (the range's
    /// partial edges, recent data in the head, late data not yet compacted) is computed from raw points.
    /// Either way the numbers are those a raw downsample gives: sums are added in time order in both.
    public func rollups(_ ref: SeriesRef, intervalMs: Int64, startMs: Int64, endMs: Int64) throws(StorageError) -> RollupBuckets? {
        guard RollupBuckets.intervalsMs.contains(intervalMs), startMs <= endMs else { return nil }
        // Same order as `read`: the head first, so a concurrent seal cannot hide points from both.
        let headRanges = head.windowRanges(of: ref.id)
        let sealed = partitions.withLock { list in
            list.filter { partition in
                guard partition.endMs > startMs && partition.startMs <= endMs, let entry = partition.entries[ref.id] else { return false }
                return entry.maxTimestampMs >= startMs && entry.minTimestampMs <= endMs
            }
        }
        var stored: [Int64: RollupBuckets] = [:]
        var result = RollupBuckets(intervalMs: intervalMs)
        var raw = PointSeries()
        var bucket = startMs - ((startMs % intervalMs) + intervalMs) % intervalMs
        while bucket <= endMs {
            let bucketEnd = bucket + intervalMs - 1
            let covering = sealed.filter { partition in
                let entry = partition.entries[ref.id]!
                return entry.maxTimestampMs >= bucket && entry.minTimestampMs <= bucketEnd
            }
            let inHead = headRanges.contains { $0.start <= bucketEnd && $0.end > bucket }
            let whole = bucket >= startMs && bucketEnd <= endMs
            if whole && !inHead && covering.count == 1, let file = covering[0].rollups {
                if stored[covering[0].id] == nil {
                    stored[covering[0].id] = try file.buckets(of: ref.id, intervalMs: intervalMs) ?? RollupBuckets(intervalMs: intervalMs)
                }
                let buckets = stored[covering[0].id]!
                if let index = buckets.starts.firstIndex(of: bucket) { result.append(buckets, at: index) }
            } else if inHead || !covering.isEmpty {
                try read(ref, startMs: max(bucket, startMs), endMs: min(bucketEnd, endMs), into: &raw)
                if !raw.isEmpty {
                    let computed = RollupBuilder.aggregate(raw, intervalMs: intervalMs)
                    result.append(computed, at: 0)
                }
            }
            bucket += intervalMs
        }
        return result
    }
}
