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
        // The partitions holding this series in the range, by the time span of its points there.
        let sealed: [(partition: Partition, min: Int64, max: Int64)] = partitions.withLock { list in
            list.compactMap { partition in
                guard partition.endMs > startMs && partition.startMs <= endMs, let entry = partition.entries[ref.id],
                    entry.maxTimestampMs >= startMs && entry.minTimestampMs <= endMs
                else { return nil }
                return (partition, entry.minTimestampMs, entry.maxTimestampMs)
            }
        }.sorted { $0.min < $1.min }
        var currentID: Int64 = -1
        var current = RollupBuckets(intervalMs: intervalMs)
        var cursor = 0
        var result = RollupBuckets(intervalMs: intervalMs)
        var raw = PointSeries()
        var first = 0  // sealed[..<first] end before the current bucket
        var bucket = startMs - ((startMs % intervalMs) + intervalMs) % intervalMs
        while bucket <= endMs {
            let bucketEnd = bucket + intervalMs - 1
            while first < sealed.count && sealed[first].max < bucket { first += 1 }
            var covering: [Partition] = []
            var j = first
            while j < sealed.count && sealed[j].min <= bucketEnd {
                if sealed[j].max >= bucket { covering.append(sealed[j].partition) }
                j += 1
            }
            if covering.isEmpty && first == sealed.count && !headRanges.contains(where: { $0.end > bucket }) { break }
            let inHead = headRanges.contains { $0.start <= bucketEnd && $0.end > bucket }
            let whole = bucket >= startMs && bucketEnd <= endMs
            if whole && !inHead && covering.count == 1, let file = covering[0].rollups {
                // Buckets advance in time, so one partition's rollups are used in one stretch: keep them local.
                if covering[0].id != currentID {
                    currentID = covering[0].id
                    current = try file.buckets(of: ref.id, intervalMs: intervalMs) ?? RollupBuckets(intervalMs: intervalMs)
                    cursor = 0
                }
                while cursor < current.count && current.starts[cursor] < bucket { cursor += 1 }
                if cursor < current.count && current.starts[cursor] == bucket { result.append(current, at: cursor) }
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
