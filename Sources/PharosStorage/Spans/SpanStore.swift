public import Logging
import PharosCodec
public import PharosCore
import Synchronization

/// Span storage: spans reach the span WAL (`spans/wal/`) before they are acknowledged, then an in-memory
/// head indexed by trace id, service, span name and remote service.
///
/// Thread-safe; one lock around the head, taken once per batch. Work in progress for the tracing issue:
/// sealed hourly span partitions with their SQLite index, retention and trace search come next; until
/// then the head holds every span since the last start (the WAL replays it).
public final class SpanStore: Sendable {
    private let wal: WAL
    private let head = Mutex(SpanHead())
    private let autocompleteKeys: Set<String>
    public let walStats = WALStats()
    public let spansAccepted = Counter()

    public init(options: StorageOptions, autocompleteKeys: [String] = [], logger: Logger) throws(StorageError) {
        let layout = StorageLayout(root: options.dataDirectory + "/spans")
        self.autocompleteKeys = Set(autocompleteKeys)
        var replayed = SpanHead()
        let keys = self.autocompleteKeys
        let outcome = try WALReplayer(layout: layout, logger: logger, stats: walStats).replay { _, type, reader in
            guard type == .spans else { return }
            for _ in 0..<(try SpanRecordCodec.count(&reader)) {
                replayed.insert(try SpanRecordCodec.decode(&reader), autocompleteKeys: keys)
            }
        }
        head.withLock { $0 = replayed }
        let next = (outcome.segments.last ?? 0) + 1
        // No span partitions yet, so replayed segments stay (they feed the head): mark them with a window
        // that is never sealed.
        wal = try WAL(
            layout: layout, options: options, nextSegment: next, existing: outcome.segments.map { ($0, [Int64.min]) },
            stats: walStats, logger: logger)
    }

    /// Writes `spans` to the WAL, then the head. When it returns they survive `kill -9`.
    @discardableResult
    public func append(_ spans: [Span]) throws(StorageError) -> UInt64 {
        guard !spans.isEmpty else { return 0 }
        var record = ByteWriter()
        WALRecord.frame(.spans, into: &record) { w in
            w.writeVarint(UInt64(spans.count))
            for span in spans { SpanRecordCodec.encode(span, into: &w) }
        }
        let sequence = try record.withUnsafeBytes { raw in
            Result { () throws(StorageError) in try wal.append(raw, windows: [Int64.min]) }
        }.get()
        let keys = autocompleteKeys
        head.withLock { head in
            for span in spans { head.insert(span, autocompleteKeys: keys) }
        }
        spansAccepted.add(Int64(spans.count))
        return sequence
    }

    public func whenDurable(_ sequence: UInt64, force: Bool = false, _ callback: @escaping @Sendable (Result<Void, StorageError>) -> Void) {
        wal.whenDurable(sequence, force: force, callback)
    }

    /// The spans of a trace, in the order they arrived; `strict` also matches the upper 64 bits.
    public func trace(high: UInt64, low: UInt64, strict: Bool) -> [Span] {
        head.withLock { $0.trace(high: high, low: low, strict: strict) }
    }

    /// Zipkin's trace search over the stored spans: at most `query.limit` traces, newest first.
    public func traces(matching query: TraceQuery, strict: Bool) -> [[Span]] {
        head.withLock { $0.traces(matching: query, strict: strict) }
    }

    /// Local service names, sorted.
    public var serviceNames: [String] { head.withLock { $0.spanNames.keys.sorted() } }

    public func spanNames(service: String) -> [String] { head.withLock { ($0.spanNames[service] ?? []).sorted() } }

    public func remoteServiceNames(service: String) -> [String] { head.withLock { ($0.remoteServices[service] ?? []).sorted() } }

    public func autocompleteValues(key: String) -> [String] { head.withLock { ($0.autocomplete[key] ?? []).sorted() } }

    public var spanCount: Int { head.withLock { $0.spans.count } }

    public func close() { wal.close() }
}
