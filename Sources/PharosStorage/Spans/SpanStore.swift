import Foundation
public import Logging
import PharosCodec
public import PharosCore
import Synchronization

/// Span storage: spans reach the span WAL (`spans/wal/`) before they are acknowledged, then an in-memory head;
/// the head is sealed every hour (of arrival) or every `headMaxSpans` spans into a span partition file
/// (`spans/partitions/`) indexed in SQLite (`spans/index.sqlite`), and partitions past the retention go.
///
/// Thread-safe. One lock covers the WAL append and the head insert of a batch (spans arrive in batches, so
/// it is taken once per request), which makes "the head being sealed holds exactly the WAL segments below
/// S" true. Sealing runs on its own thread; queries read the heads and the partitions visible in `state`.
public final class SpanStore: @unchecked Sendable {
    struct Sealing {
        var head: SpanHead
        var walBelow: UInt32
        var hourMs: Int64
    }

    struct State {
        var active = SpanHead()
        var activeHourMs: Int64
        var sealing: [Sealing] = []
        var partitions: [Int64: SpanPartition] = [:]
        /// Changes whenever the heads change, so cached head-derived answers know when to recompute.
        var headVersion: UInt64 = 0
        var stopped = false
    }

    let wal: WAL
    let catalog: SpanCatalog
    let layout: StorageLayout
    let options: SpanStoreOptions
    let autocompleteKeys: Set<String>
    let logger: Logger
    let state: Mutex<State>
    /// `headTraceLinks` of the heads at `version`.
    let headLinks = Mutex<(version: UInt64, links: [HeadLinks])?>(nil)
    let wake = DispatchSemaphore(value: 0)
    let sealerDone = DispatchSemaphore(value: 0)
    /// Serialises sealing between the sealer thread and `flush`.
    let sealLock = NSLock()
    public let walStats = WALStats()
    public let spansAccepted = Counter()
    public let partitionsSealed = Counter()
    public let partitionsExpired = Counter()
    /// Blocks or partitions that failed their checksum or did not decode: counted, logged and skipped.
    public let corruptReads = Counter()
    public let sealSeconds = Histogram(bounds: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])

    public init(options: StorageOptions, spanOptions: SpanStoreOptions = SpanStoreOptions(), logger: Logger) throws(StorageError) {
        layout = StorageLayout(root: options.dataDirectory + "/spans")
        self.options = spanOptions
        self.logger = logger
        autocompleteKeys = Set(spanOptions.autocompleteKeys)
        try FileIO.makeDirectory(layout.root)
        try FileIO.makeDirectory(layout.spanPartitionDirectory)
        catalog = try SpanCatalog(path: layout.root + "/index.sqlite")
        let rows = try catalog.partitions()
        let walBelow = rows.map(\.walBelow).max() ?? 0
        var partitions: [Int64: SpanPartition] = [:]
        for row in rows {
            do {
                partitions[row.id] = try SpanPartition(id: row.id, hourMs: row.hourMs, path: layout.spanPartitionPath(row.fileName))
            } catch {
                corruptReads.add(1)
                logger.error(
                    "span partition unreadable; its spans are not served", metadata: ["file": "\(row.fileName)", "error": "\(error)"])
            }
        }
        Self.removeOrphans(layout: layout, known: Set(rows.map(\.fileName)), logger: logger)
        var replayed = SpanHead()
        let keys = autocompleteKeys
        let outcome = try WALReplayer(layout: layout, logger: logger, stats: walStats).replay { position, type, reader in
            guard type == .spans, position.segment >= walBelow else { return }
            for _ in 0..<(try SpanRecordCodec.count(&reader)) {
                replayed.insert(try SpanRecordCodec.decode(&reader), autocompleteKeys: keys)
            }
        }
        for segment in outcome.segments where segment < walBelow { try? FileIO.remove(layout.walSegmentPath(segment)) }
        let kept = outcome.segments.filter { $0 >= walBelow }
        wal = try WAL(
            layout: layout, options: options, nextSegment: max(walBelow, (outcome.segments.last ?? 0) + 1),
            existing: kept.map { ($0, [0]) }, stats: walStats, logger: logger)
        state = Mutex(State(active: replayed, activeHourMs: Self.hourMs(Self.nowMs()), partitions: partitions))
        let thread = Thread { [self] in self.runSealer() }
        thread.name = "pharos-span-sealer"
        thread.start()
    }

    /// Partitions, newest first, whose decoded dictionaries and blocks stay in memory after a seal.
    static let partitionsKeptDecoded: Int64 = 8

    /// How many times `headMaxSpans` the head may hold while the previous head is being sealed.
    static let headSlack = 2

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    static func hourMs(_ ms: Int64) -> Int64 { ms - ((ms % 3_600_000) + 3_600_000) % 3_600_000 }

    /// Partition files the index does not know: a crash between writing one and indexing it.
    private static func removeOrphans(layout: StorageLayout, known: Set<String>, logger: Logger) {
        for name in (try? FileIO.listDirectory(layout.spanPartitionDirectory)) ?? [] where !known.contains(name) {
            logger.info("removing unindexed span partition file", metadata: ["file": "\(name)"])
            try? FileIO.remove(layout.spanPartitionDirectory + "/" + name)
        }
    }

    /// Writes `spans` to the WAL, then the head. When it returns they survive `kill -9`.
    @discardableResult
    public func append(_ spans: [Span]) throws(StorageError) -> UInt64 {
        guard !spans.isEmpty else { return 0 }
        var record = ByteWriter(capacity: spans.count * 200)
        WALRecord.frame(.spans, into: &record) { w in
            w.writeVarint(UInt64(spans.count))
            for span in spans { SpanRecordCodec.encode(span, into: &w) }
        }
        let keys = autocompleteKeys
        let (sequence, full) = try state.withLock { (state) throws(StorageError) -> (UInt64, Bool) in
            let sequence = try record.withUnsafeBytes { raw in
                Result { () throws(StorageError) in try wal.append(raw, windows: CollectionOfOne(0)) }
            }.get()
            // An idle head keeps the hour of its cut; spans arriving later belong to the hour they arrive in.
            if state.active.spans.isEmpty { state.activeHourMs = Self.hourMs(Self.nowMs()) }
            for span in spans { state.active.insert(span, autocompleteKeys: keys) }
            state.headVersion &+= 1
            return (sequence, state.active.spans.count >= options.headMaxSpans)
        }
        spansAccepted.add(Int64(spans.count))
        if full { wake.signal() }
        // Back-pressure: when sealing falls behind, writers wait rather than let the heads grow without bound.
        // (This holds the event loop: TCP pushes back on every client of that loop, which is the point.)
        let limit = options.headMaxSpans * Self.headSlack
        if full {
            while state.withLock({ $0.sealing.reduce($0.active.spans.count) { $0 + $1.head.spans.count } >= limit && !$0.stopped }) {
                usleep(1000)
            }
        }
        return sequence
    }

    public func whenDurable(_ sequence: UInt64, force: Bool = false, _ callback: @escaping @Sendable (Result<Void, StorageError>) -> Void) {
        wal.whenDurable(sequence, force: force, callback)
    }

    public var spanCount: Int { state.withLock { $0.sealing.reduce($0.active.spans.count) { $0 + $1.head.spans.count } } }
    public var partitionCount: Int { state.withLock { $0.partitions.count } }

    public func close() {
        let alreadyStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !alreadyStopped else { return }
        wake.signal()
        sealerDone.wait()
        wal.close()
    }
}
