import Logging
import PharosCodec
import PharosCore

extension MetricStore {
    static func loadSeries(catalog: Catalog, registry: SeriesRegistry, logger: Logger) throws(StorageError) {
        for (id, canonical) in try catalog.loadSeries() {
            guard let key = SeriesKey(canonical: canonical), registry.restore(id: id, key: key, persisted: true) else {
                logger.error("catalog series does not restore; skipped", metadata: ["id": "\(id)", "key": "\(canonical)"])
                continue
            }
        }
    }

    /// Maps every partition the catalog lists; files the catalog does not know (a crash between writing a
    /// partition and recording it) are removed, since the WAL still holds their points.
    static func loadPartitions(catalog: Catalog, layout: StorageLayout, logger: Logger) throws(StorageError) -> [Partition] {
        var loaded: [Partition] = []
        var known = Set<String>()
        for (record, entries) in try catalog.loadPartitions() {
            known.insert(record.fileName)
            known.insert(String(layout.rollupPath(record.fileName).split(separator: "/").last!))
            do {
                loaded.append(
                    try Partition(
                        record: record, path: layout.partitionPath(record.fileName), rollupPath: layout.rollupPath(record.fileName),
                        entries: entries))
            } catch {
                logger.error(
                    "partition listed in the catalog cannot be opened; its data is not served",
                    metadata: ["file": "\(record.fileName)", "error": "\(error)"])
            }
        }
        for name in try FileIO.listDirectory(layout.metricsDirectory) where !known.contains(name) {
            logger.warning("removing a partition file the catalog does not list", metadata: ["file": "\(name)"])
            try FileIO.remove(layout.partitionPath(name))
        }
        return loaded
    }

    struct Recovered {
        var nextSegment: UInt32
        var segments: [(UInt32, Set<Int64>)]
    }

    /// Replays every WAL segment into the head; returns which windows each segment fed.
    static func replayWAL(
        layout: StorageLayout, registry: SeriesRegistry, head: Head, sealedMarks: [Int64: WALPosition], stats: StoreStats,
        walStats: WALStats, logger: Logger
    ) throws(StorageError) -> Recovered {
        var batch = SampleBatch()
        var windows: [HeadWindow] = []
        var starts: [Int64] = []
        var fed: [UInt32: Set<Int64>] = [:]
        let started = ContinuousClock.now
        let replayer = WALReplayer(layout: layout, logger: logger, stats: walStats)
        var alreadySealed = 0
        let outcome = try replayer.replay { position, type, reader in
            let segment = position.segment
            switch type {
            case .series:
                let count = try reader.readVarint()
                for _ in 0..<count {
                    let id = UInt32(try reader.readVarint())
                    let length = Int(try reader.readVarint())
                    let text = String(decoding: try reader.readBytes(length), as: UTF8.self)
                    guard let key = SeriesKey(canonical: text), registry.restore(id: id, key: key, persisted: false) else {
                        logger.error("WAL series record does not restore; skipped", metadata: ["id": "\(id)", "key": "\(text)"])
                        continue
                    }
                }
            case .spans:
                break  // the span WAL's records; never in the metric WAL
            case .samples:
                batch.removeAll()
                let count = Int(try reader.readVarint())
                let base = try reader.readZigZag()
                let known = registry.nextID
                for _ in 0..<count {
                    let id = UInt32(truncatingIfNeeded: try reader.readVarint())
                    let t = base &+ (try reader.readZigZag())
                    let v = Double(bitPattern: try reader.readUInt64LE())
                    if id >= known {
                        stats.droppedReplayPoints.add(1)
                    } else if let mark = sealedMarks[head.windowStart(t)], position < mark {
                        alreadySealed += 1  // a partition holds it, and maybe a newer value after it
                    } else {
                        batch.append(series: SeriesRef(id: id), timestampMs: t, value: v)
                    }
                }
                head.windowStarts(of: batch, into: &starts)
                fed[segment, default: []].formUnion(starts)
                head.append(batch, windows: &windows)
                windows.removeAll { $0.isSealing }
                stats.replayedPoints.add(Int64(batch.count))
            }
        }
        if stats.droppedReplayPoints.value > 0 {
            logger.error("WAL samples named series with no series record; dropped", metadata: ["points": "\(stats.droppedReplayPoints.value)"])
        }
        logger.info(
            "replayed the write-ahead log",
            metadata: [
                "segments": "\(outcome.segments.count)", "records": "\(outcome.records)", "points": "\(stats.replayedPoints.value)",
                "tornBytes": "\(outcome.tornBytes)", "corruptRecords": "\(outcome.corruptRecords)",
                "alreadySealed": "\(alreadySealed)",
                "seconds": "\(started.duration(to: .now))",
            ])
        return Recovered(
            nextSegment: (outcome.segments.last ?? 0) + 1,
            segments: outcome.segments.map { ($0, fed[$0] ?? []) })
    }
}
