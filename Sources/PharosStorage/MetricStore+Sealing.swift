import Foundation
import Logging
import PharosCodec
import PharosCore
import Synchronization

extension MetricStore {
    /// Seals every window that is due (or all of them with `everything`), then drops WAL segments that
    /// only fed sealed windows. Runs under `maintenance`.
    func sealDue(everything: Bool) throws(StorageError) {
        let due = head.windowsDueForSealing(everything: everything)
        for window in due { try seal(window) }
        dropSealedSegments()
    }

    /// Persists new series, then drops WAL segments that only fed sealed windows. The segment and the
    /// live windows are read with appends held off, so no record is between its WAL write and the head.
    func dropSealedSegments() {
        let (current, live) = gate.exclusive { (wal.currentSegment, head.liveWindowStarts) }
        if persistSeries() { wal.dropSegments(openWindows: live, below: current) }
    }

    /// Writes the catalog rows of series created since the last call. Before any WAL segment is dropped,
    /// this must have succeeded, since segments are the only other record of a series.
    @discardableResult
    func persistSeries() -> Bool {
        let fresh = registry.takeUnpersisted()
        do {
            try catalog.insertSeries(fresh)
            return true
        } catch {
            registry.requeue(fresh.map(\.0))
            stats.maintenanceErrors.add(1)
            logger.error("cannot persist new series; WAL segments are kept", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Turns one head window into a partition file plus catalog rows, then drops it from the head.
    func seal(_ window: HeadWindow) throws(StorageError) {
        let started = ContinuousClock.now
        if !window.isSealing {
            // Appends are held off for an instant: everything before `mark` in the WAL is in this window
            // (or sealed before); everything after goes to the next generation.
            gate.exclusive {
                head.beginSealing(window)
                window.sealMark.withLock { $0 = wal.position }
            }
        }
        let mark = window.sealMark.withLock { $0 }
        let members = head.frozenContents(of: window)
        var series: [PartitionWriter.SeriesChunks] = []
        series.reserveCapacity(members.count)
        var points = 0
        for (id, content) in members {
            var content = content
            guard content.pointCount > 0 else { continue }
            var merged = PointSeries()
            do { try content.points(into: &merged) } catch {
                throw StorageError(.corrupt, "head chunk of series \(id) does not decode while sealing: \(error)")
            }
            let chunks: [UInt8]
            if content.outOfOrder.isEmpty {
                // In-order data: the head's encoded chunks go to disk as they are.
                content.encodeTail()
                chunks = content.chunks.bytes
            } else {
                var writer = ByteWriter()
                ChunkBuilder.encode(merged, into: &writer)
                chunks = writer.bytes
            }
            series.append(Self.seriesChunks(id: id, chunks: chunks, points: merged))
            points += merged.count
        }
        if !series.isEmpty {
            try writePartition(
                startMs: window.startMs, endMs: window.endMs, series: series, pointCount: points, replacing: [],
                sealedMark: mark.map { (window.startMs, $0) })
            stats.partitionsSealed.add(1)
        }
        head.finishSealing(window)
        stats.sealSeconds.record(started.duration(to: .now))
        logger.debug(
            "sealed a head window",
            metadata: ["start": "\(window.startMs)", "generation": "\(window.generation)", "series": "\(series.count)", "points": "\(points)"])
    }

    /// Writes a partition file, records it (replacing `replacing` in the same transaction) and publishes it.
    func writePartition(
        startMs: Int64, endMs: Int64, series: [PartitionWriter.SeriesChunks], pointCount: Int, replacing: [Partition],
        sealedMark: (Int64, WALPosition)? = nil
    ) throws(StorageError) {
        let id = nextPartitionID.wrappingAdd(1, ordering: .relaxed).oldValue
        let fileName = layout.partitionFileName(startMs: startMs, id: id)
        let path = layout.partitionPath(fileName)
        let writer = PartitionWriter(path: path, startMs: startMs, endMs: endMs)
        let rollupPath = layout.rollupPath(fileName)
        try RollupFile.write(path: rollupPath, series: series.map { ($0.seriesID, $0.rollups) })
        let (entries, bytes): ([PartitionIndexEntry], Int64)
        do { (entries, bytes) = try writer.write(series) } catch {
            try? FileIO.remove(rollupPath)
            throw error
        }
        let record = Catalog.PartitionRecord(
            id: id, startMs: startMs, endMs: endMs, fileName: fileName, seriesCount: series.count, pointCount: Int64(pointCount),
            byteSize: bytes)
        do {
            try catalog.commitPartition(record, entries: entries, replacing: replacing.map(\.id), sealedMark: sealedMark)
        } catch {
            try? FileIO.remove(path)
            try? FileIO.remove(rollupPath)
            throw error
        }
        let partition = try Partition(record: record, path: path, rollupPath: rollupPath, entries: entries)
        let replaced = Set(replacing.map(\.id))
        partitions.withLock { list in
            list.removeAll { replaced.contains($0.id) }
            list.append(partition)
            list.sort { $0.id < $1.id }
        }
        for old in replacing { removeFiles(of: old) }
    }

    func removeFiles(of partition: Partition) {
        try? FileIO.remove(partition.path)
        if let rollups = partition.rollups { try? FileIO.remove(rollups.path) }
    }

    /// One series' entry for a partition: its chunks, bounds and rollups.
    static func seriesChunks(id: UInt32, chunks: [UInt8], points: PointSeries) -> PartitionWriter.SeriesChunks {
        var rollups = ByteWriter()
        RollupBuilder.encode(RollupBuckets.intervalsMs.map { RollupBuilder.aggregate(points, intervalMs: $0) }, into: &rollups)
        return PartitionWriter.SeriesChunks(
            seriesID: id, chunks: chunks, minTimestampMs: points.timestamps.first!, maxTimestampMs: points.timestamps.last!,
            pointCount: points.count, rollups: rollups.bytes)
    }
}
