import Foundation
import Logging
import PharosCodec
import PharosCore
import Synchronization

extension MetricStore {
    /// Merges the partitions of each compaction span (a UTC day by default) into one. Without `force`,
    /// only spans the out-of-order window has left behind. Runs under `maintenance`.
    func compact(force: Bool) throws(StorageError) {
        let maxT = head.maxTimestampMs.load(ordering: .relaxed)
        let span = options.compactionSpanMs
        let groups = Dictionary(grouping: partitions.withLock { $0 }) { partition in
            partition.startMs - ((partition.startMs % span) + span) % span
        }
        for (spanStart, members) in groups.sorted(by: { $0.key < $1.key }) where members.count > 1 {
            let spanEnd = spanStart + span
            guard force || (maxT != Int64.min && spanEnd + options.outOfOrderWindowMs <= maxT) else { continue }
            guard members.allSatisfy({ $0.endMs <= spanEnd }) else { continue }
            do {
                try merge(members.sorted { $0.id < $1.id }, startMs: spanStart, endMs: spanEnd)
            } catch where error.kind == .corrupt {
                // A damaged partition stays as it is (its good pages still serve); other days go on.
                stats.maintenanceErrors.add(1)
                logger.error("not compacting a day with a damaged partition", metadata: ["start": "\(spanStart)", "error": "\(error)"])
            }
        }
    }

    private func merge(_ inputs: [Partition], startMs: Int64, endMs: Int64) throws(StorageError) {
        let started = ContinuousClock.now
        var ids = Set<UInt32>()
        for partition in inputs { ids.formUnion(partition.entries.keys) }
        var series: [PartitionWriter.SeriesChunks] = []
        series.reserveCapacity(ids.count)
        var points = 0
        for id in ids.sorted() {
            var merged = PointSeries()
            for partition in inputs {
                var run = PointSeries()
                try partition.points(of: id, startMs: Int64.min, endMs: Int64.max, into: &run)
                merged.merge(newer: run)
            }
            guard !merged.isEmpty else { continue }
            var chunks = ByteWriter()
            ChunkBuilder.encode(merged, into: &chunks)
            series.append(Self.seriesChunks(id: id, chunks: chunks.bytes, points: merged))
            points += merged.count
        }
        try writePartition(startMs: startMs, endMs: endMs, series: series, pointCount: points, replacing: inputs)
        stats.compactions.add(1)
        stats.compactionSeconds.record(started.duration(to: .now))
        logger.info(
            "compacted partitions", metadata: ["inputs": "\(inputs.count)", "start": "\(startMs)", "points": "\(points)"])
    }

    /// Deletes partitions whose end is older than the retention period (by the wall clock).
    func applyRetention() throws(StorageError) {
        guard let retention = options.retentionMs else { return }
        let cutoff = Int64(Date().timeIntervalSince1970 * 1000) - retention
        let expired = partitions.withLock { list in list.filter { $0.endMs <= cutoff } }
        guard !expired.isEmpty else { return }
        try catalog.removePartitions(expired.map(\.id))
        let gone = Set(expired.map(\.id))
        partitions.withLock { $0.removeAll { gone.contains($0.id) } }
        for partition in expired { removeFiles(of: partition) }
        logger.info("retention removed partitions", metadata: ["count": "\(expired.count)"])
    }

    /// Seals everything the head holds, merges partitions and folds the catalog's WAL, then returns:
    /// every acknowledged point is in a partition file. Blocks; call it off the event loop.
    public func flush() throws(StorageError) {
        try maintenance.withLock { (_) throws(StorageError) in
            try wal.cutSegment()
            try sealDue(everything: true)
            try compact(force: true)
            catalog.compactFile()
        }
    }
}
