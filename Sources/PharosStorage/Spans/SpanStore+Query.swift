import Logging
public import PharosCore
import Synchronization

extension SpanStore {
    /// What a query reads: the heads and the partitions visible at one instant (copies are cheap: the heads
    /// are copy-on-write and partitions are shared references).
    struct Snapshot {
        var heads: [SpanHead]
        var partitions: [Int64: SpanPartition]
        var headVersion: UInt64
    }

    func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(heads: state.sealing.map(\.head) + [state.active], partitions: state.partitions, headVersion: state.headVersion)
        }
    }

    /// The spans of a trace; `strict` also matches the upper 64 bits. Byte-identical re-reports collapse into
    /// one, as in Zipkin's storage; partial reports of one span stay separate (raw spans, no merge).
    public func trace(high: UInt64, low: UInt64, strict: Bool) -> [Span] {
        spans(high: high, low: low, strict: strict, in: snapshot())
    }

    func spans(high: UInt64, low: UInt64, strict: Bool, in snapshot: Snapshot) -> [Span] {
        var found: [Span] = []
        do {
            var read: Set<[Int64]> = []
            for fragment in try catalog.fragments(low: low) where read.insert([fragment.partition, Int64(fragment.block)]).inserted {
                guard let partition = snapshot.partitions[fragment.partition] else { continue }
                do { found += try partition.spans(inBlock: fragment.block, high: high, low: low, strict: strict) } catch {
                    corruptReads.add(1)
                    logger.error("skipping an unreadable span block", metadata: ["error": "\(error)"])
                }
            }
        } catch { logger.error("span index lookup failed", metadata: ["error": "\(error)"]) }
        for head in snapshot.heads { found += head.trace(high: high, low: low, strict: strict) }
        var seen: Set<Span> = []
        return found.filter { seen.insert($0).inserted }
    }

    /// Zipkin's trace search: at most `query.limit` traces whose timestamp is in the window and whose spans
    /// meet every condition, newest first.
    ///
    /// Candidates come newest first from the heads and from the index (by service, time and longest duration);
    /// each is read whole and tested. A fragment's timestamp is never before its trace's, so once `limit`
    /// traces are found and candidates are older than all of them, nothing later can displace one.
    public func traces(matching query: TraceQuery, strict: Bool) -> [[Span]] {
        let snapshot = snapshot()
        let fromUs = query.endTsUs - query.lookbackUs
        let toUs = query.endTsUs &+ Self.fragmentSlackUs
        let minimum = query.minDurationUs ?? 0
        let headCandidates = snapshot.heads.flatMap {
            $0.candidates(service: query.serviceName, fromUs: fromUs, toUs: toUs, minDurationUs: minimum, strict: strict)
        }.sorted { $0.timestampUs > $1.timestampUs }
        var search = TraceSearch(query: query, strict: strict)
        var next = 0
        let load = { (c: TraceCandidate) in self.spans(high: c.high, low: c.low, strict: strict, in: snapshot) }
        do {
            try catalog.candidates(service: query.serviceName, fromUs: fromUs, toUs: toUs, minDurationUs: minimum) {
                high, low, partition, ts in
                guard snapshot.partitions[partition] != nil else { return true }
                while next < headCandidates.count, headCandidates[next].timestampUs >= ts {
                    guard search.visit(headCandidates[next], load) else { return false }
                    next += 1
                }
                return search.visit(TraceCandidate(high: strict ? high : 0, low: low, timestampUs: ts), load)
            }
        } catch { logger.error("span search failed in the index; answering from the head", metadata: ["error": "\(error)"]) }
        while next < headCandidates.count, search.visit(headCandidates[next], load) { next += 1 }
        return search.results
    }

    /// How far after `endTs` a fragment may start and still belong to a trace that starts before it.
    static let fragmentSlackUs: Int64 = 3_600_000_000

    /// Local service names, sorted.
    public var serviceNames: [String] {
        var names = headNames { $0.spanNames.keys }
        names.formUnion(indexed { () throws(StorageError) in try catalog.serviceNames() })
        return names.sorted()
    }

    public func spanNames(service: String) -> [String] {
        var names = headNames { $0.spanNames[service] ?? [] }
        names.formUnion(indexed { () throws(StorageError) in try catalog.names(service: service, remote: false) })
        return names.sorted()
    }

    public func remoteServiceNames(service: String) -> [String] {
        var names = headNames { $0.remoteServices[service] ?? [] }
        names.formUnion(indexed { () throws(StorageError) in try catalog.names(service: service, remote: true) })
        return names.sorted()
    }

    public func autocompleteValues(key: String) -> [String] {
        var values = headNames { $0.autocomplete[key] ?? [] }
        values.formUnion(indexed { () throws(StorageError) in try catalog.autocompleteValues(key: key) })
        return values.sorted()
    }

    /// Names from the heads' small indexes, read under the lock: a snapshot would keep the head's span array
    /// shared, and the next append would copy all of it.
    private func headNames<Names: Sequence<String>>(_ names: (SpanHead) -> Names) -> Set<String> {
        state.withLock { state in
            var found = Set(names(state.active))
            for sealing in state.sealing { found.formUnion(names(sealing.head)) }
            return found
        }
    }

    private func indexed(_ body: () throws(StorageError) -> [String]) -> [String] {
        do { return try body() } catch {
            logger.error("span index read failed", metadata: ["error": "\(error)"])
            return []
        }
    }
}

/// The state of one search: traces found so far, their timestamps kept sorted, and the ids already tried.
struct TraceSearch {
    let query: TraceQuery
    let strict: Bool
    private var found: [(timestampUs: Int64, spans: [Span])] = []
    /// The newest `limit` timestamps found, ascending.
    private var best: [Int64] = []
    private var tried: Set<[UInt64]> = []

    init(query: TraceQuery, strict: Bool) {
        self.query = query
        self.strict = strict
    }

    /// Tests one candidate; false once no later (older) candidate can enter the result.
    mutating func visit(_ candidate: TraceCandidate, _ load: (TraceCandidate) -> [Span]) -> Bool {
        if best.count >= query.limit, let oldest = best.first, candidate.timestampUs < oldest { return false }
        guard tried.insert([strict ? candidate.high : 0, candidate.low]).inserted else { return true }
        let spans = load(candidate)
        guard let timestamp = SpanHead.traceTimestamp(spans), timestamp >= query.endTsUs - query.lookbackUs,
            timestamp <= query.endTsUs, SpanHead.test(spans, query)
        else { return true }
        found.append((timestamp, spans))
        let at = best.firstIndex(where: { $0 > timestamp }) ?? best.count
        best.insert(timestamp, at: at)
        if best.count > query.limit { best.removeFirst() }
        return true
    }

    var results: [[Span]] {
        found.sorted { $0.timestampUs > $1.timestampUs }.prefix(query.limit).map(\.spans)
    }
}
