#if canImport(Glibc)
import Glibc
#endif
import Foundation
public import Logging
import PharosCodec
import Synchronization
public import PharosCore

/// The metric store: WAL, head, sealed partitions and the SQLite catalog behind one API.
///
/// Thread-safe. Ingest calls `resolve` on a series-cache miss and `append` once per batch; queries call
/// `select` and `read`. Sealing, compaction and retention run on one maintenance thread (and in `flush`),
/// one at a time, so partition ids always order partitions by the age of their newest data.
public final class MetricStore: Sendable {
    public let options: StorageOptions
    public let stats = StoreStats()
    let layout: StorageLayout
    let logger: Logger
    let catalog: Catalog
    let registry = SeriesRegistry()
    let head: Head
    let wal: WAL
    let partitions = Mutex<[Partition]>([])
    let nextPartitionID: Atomic<Int64>
    /// Serialises sealing, compaction and retention.
    let maintenance = Mutex<Void>(())
    /// Makes each batch's WAL write and head apply one step for the sealer (see `AppendGate`).
    let gate = AppendGate()
    /// Holds the data directory's `LOCK` (flock) so that a second process cannot open the same store.
    private let directoryLock: DirectoryLock
    private let closed = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let maintenanceDone = Atomic<Bool>(false)

    public var walStats: WALStats { wal.stats }

    /// Opens (or creates) the store in `options.dataDirectory`, replays the WAL into the head, and starts
    /// the maintenance thread.
    public init(options: StorageOptions, logger: Logger) throws(StorageError) {
        self.options = options
        self.logger = logger
        layout = StorageLayout(root: options.dataDirectory)
        try FileIO.makeDirectory(layout.walDirectory)
        try FileIO.makeDirectory(layout.metricsDirectory)
        directoryLock = try DirectoryLock(path: layout.lockPath)
        catalog = try Catalog(path: layout.catalogPath)
        head = Head(options: options, registry: registry)
        nextPartitionID = Atomic(try catalog.maxPartitionID() + 1)
        try Self.loadSeries(catalog: catalog, registry: registry, logger: logger)
        let loaded = try Self.loadPartitions(catalog: catalog, layout: layout, logger: logger)
        partitions.withLock { $0 = loaded }
        let walStats = WALStats()
        let recovered = try Self.replayWAL(
            layout: layout, registry: registry, head: head, sealedMarks: try catalog.loadSealedMarks(), stats: stats,
            walStats: walStats, logger: logger)
        wal = try WAL(
            layout: layout, options: options, nextSegment: recovered.nextSegment, existing: recovered.segments, stats: walStats,
            logger: logger)
        let thread = Thread { [self] in self.runMaintenance() }
        thread.start()
    }

    /// The series for `key`, created (and logged to the WAL) when new.
    public func resolve(_ key: SeriesKey) throws(StorageError) -> SeriesRef {
        let (id, created) = try registry.resolve(key) { (id, key) throws(StorageError) in
            var record = ByteWriter()
            WALRecord.encodeSeries([(id, key.description)], into: &record)
            _ = try record.withUnsafeBytes { raw in Result { () throws(StorageError) in try wal.append(raw, windows: EmptyCollection()) } }.get()
        }
        if created { stats.seriesCreated.add(1) }
        return SeriesRef(id: id)
    }

    /// Writes `batch` to the WAL, then to the head. When it returns the batch is acknowledged-safe
    /// (it survives `kill -9`); pass the returned sequence to `whenDurable` for the fsync policy.
    @discardableResult
    public func append(_ batch: SampleBatch, scratch: inout AppendScratch) throws(StorageError) -> UInt64 {
        guard !batch.isEmpty else { return 0 }
        scratch.record.removeAll(keepingCapacity: true)
        WALRecord.encodeSamples(batch, into: &scratch.record)
        head.windowStarts(of: batch, into: &scratch.windowStarts)
        let starts = scratch.windowStarts
        let sequence = try gate.shared { () throws(StorageError) -> UInt64 in
            let sequence = try scratch.record.withUnsafeBytes { raw in
                Result { () throws(StorageError) in try wal.append(raw, windows: starts) }
            }.get()
            head.append(batch, windows: &scratch.windows)
            return sequence
        }
        // Keep only windows that are still open, so the scratch does not pin sealed windows.
        scratch.windows.removeAll { $0.isSealing }
        stats.pointsAppended.add(Int64(batch.count))
        return sequence
    }

    /// Calls `callback` once the batch that returned `sequence` is durable under the fsync policy; `force`
    /// asks for an fsync even under `--fsync interval` (OpenTSDB's `?sync`).
    public func whenDurable(
        _ sequence: UInt64, force: Bool = false, _ callback: @escaping @Sendable (Result<Void, StorageError>) -> Void
    ) {
        wal.whenDurable(sequence, force: force, callback)
    }

    public var seriesCount: Int { registry.count }
    public var pointsInHead: Int64 { head.pointsInHead.load(ordering: .relaxed) }
    public var partitionCount: Int { partitions.withLock { $0.count } }
    public var walSegmentCount: Int { wal.segmentCount }

    /// Stops maintenance and closes the WAL (syncing it unless fsync is `never`). The head is not sealed:
    /// the WAL replays it on the next start.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        stopping.store(true, ordering: .releasing)
        while !maintenanceDone.load(ordering: .acquiring) { usleep(1000) }
        maintenance.withLock { _ in _ = persistSeries() }
        wal.close()
        directoryLock.release()
    }

    private func runMaintenance() {
        defer { maintenanceDone.store(true, ordering: .releasing) }
        var lastFull = ContinuousClock.now
        var sealedUpTo = Int64.min
        while !stopping.load(ordering: .acquiring) {
            usleep(20_000)
            // Seal as soon as the newest timestamp leaves a window behind, so a fast load does not pile
            // up open windows in memory; compaction and retention run once a second.
            let maxT = head.maxTimestampMs.load(ordering: .relaxed)
            let due = maxT != Int64.min && head.windowStart(maxT - options.outOfOrderWindowMs) > sealedUpTo
            let full = lastFull.duration(to: .now) >= .seconds(1)
            guard due || full else { continue }
            if due { sealedUpTo = head.windowStart(maxT - options.outOfOrderWindowMs) }
            if full { lastFull = .now }
            maintenance.withLock { _ in
                do {
                    try sealDue(everything: false)
                    if full {
                        try compact(force: false)
                        try applyRetention()
                    }
                } catch {
                    stats.maintenanceErrors.add(1)
                    logger.error("maintenance failed; will retry", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
