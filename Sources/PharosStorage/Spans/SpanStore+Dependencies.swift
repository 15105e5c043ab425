import Logging
import Synchronization
public import PharosCore

extension SpanStore {
    /// Zipkin's `/api/v2/dependencies`: links of the traces whose timestamp lies in `[endTs − lookback, endTs]`
    /// (milliseconds), summed per (parent, child).
    ///
    /// Sealed partitions keep their links per minute, so whole minutes inside the window cost one index read;
    /// the partial minutes at the window's edges are linked again from their traces, and the heads' traces are
    /// linked once per change of the heads and cached. A trace split between partitions (spans that arrived
    /// after its first part was sealed) is linked per part.
    public func dependencies(endTsMs: Int64, lookbackMs: Int64) -> [DependencyLink] {
        let snapshot = snapshot()
        let fromMs = endTsMs - lookbackMs
        var all = DependencyLinkAccumulator()
        let firstWhole = SpanPartitionWriter.minuteMs(ofUs: (fromMs + 59_999) * 1000)
        let lastWhole = SpanPartitionWriter.minuteMs(ofUs: (endTsMs + 1) * 1000) - 60_000
        do {
            if firstWhole <= lastWhole {
                all.add(try catalog.links(fromMinuteMs: firstWhole, toMinuteMs: lastWhole, partitions: snapshot.partitions))
                try linkEdge(fromMs: fromMs, toMs: firstWhole - 1, snapshot, into: &all)
                try linkEdge(fromMs: lastWhole + 60_000, toMs: endTsMs, snapshot, into: &all)
            } else {
                try linkEdge(fromMs: fromMs, toMs: endTsMs, snapshot, into: &all)
            }
        } catch { logger.error("dependency links unreadable from the span index", metadata: ["error": "\(error)"]) }
        for entry in headTraceLinks(snapshot) where entry.timestampUs >= fromMs * 1000 && entry.timestampUs <= endTsMs * 1000 + 999 {
            all.add(entry.links)
        }
        return all.links
    }

    /// Links the partition traces whose timestamp is in `[fromMs, toMs]` (the window's partial minutes).
    private func linkEdge(fromMs: Int64, toMs: Int64, _ snapshot: Snapshot, into all: inout DependencyLinkAccumulator) throws(StorageError) {
        guard fromMs <= toMs else { return }
        var traces: [(partition: Int64, low: UInt64)] = []
        var seen: Set<[Int64]> = []
        try catalog.candidates(service: nil, fromUs: fromMs * 1000, toUs: toMs * 1000 + 999, minDurationUs: 0) { _, low, partition, _ in
            if seen.insert([partition, Int64(bitPattern: low)]).inserted { traces.append((partition, low)) }
            return true
        }
        for (partitionID, low) in traces {
            guard let partition = snapshot.partitions[partitionID] else { continue }
            var spans: [Span] = []
            for fragment in try catalog.fragments(low: low) where fragment.partition == partitionID {
                do { spans += try partition.spans(inBlock: fragment.block, high: 0, low: low, strict: false) } catch {
                    corruptReads.add(1)
                }
            }
            var seenSpans: Set<Span> = []
            all.add(DependencyLinker.links(inTrace: spans.filter { seenSpans.insert($0).inserted }))
        }
    }

    /// Each head trace's timestamp and links, recomputed only when the heads changed.
    private func headTraceLinks(_ snapshot: Snapshot) -> [(timestampUs: Int64, links: [DependencyLink])] {
        let version = snapshot.headVersion
        if let cached = headLinks.withLock({ $0 }), cached.version == version { return cached.links }
        var entries: [(timestampUs: Int64, links: [DependencyLink])] = []
        var lows: Set<UInt64> = []
        for head in snapshot.heads {
            for positions in head.byTraceValues { lows.insert(head.spans[positions[0]].traceIdLow) }
        }
        for low in lows {
            var spans: [Span] = []
            for head in snapshot.heads { spans += head.trace(high: 0, low: low, strict: false) }
            guard let timestamp = SpanHead.traceTimestamp(spans) else { continue }
            entries.append((timestamp, DependencyLinker.links(inTrace: spans)))
        }
        headLinks.withLock { $0 = (version, entries) }
        return entries
    }
}
