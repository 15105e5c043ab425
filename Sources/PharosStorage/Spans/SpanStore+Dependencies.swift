import Logging
public import PharosCore
import Synchronization

extension SpanStore {
    /// Zipkin's `/api/v2/dependencies`: links of the traces whose timestamp lies in `[endTs − lookback, endTs]`
    /// (milliseconds), summed per (parent, child).
    ///
    /// Sealed partitions keep their links per minute (`sealLinks`), so whole minutes inside the window cost one
    /// index read; the partial minutes at the window's edges are linked again from their traces, and traces
    /// with spans in the heads are linked once per change of the heads and cached.
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
        let window = (fromMs * 1000)...(endTsMs * 1000 + 999)
        for entry in headTraceLinks(snapshot) where window.contains(entry.timestampUs) {
            if entry.subtract { all.subtract(entry.links) } else { all.add(entry.links) }
        }
        return all.links.compactMap { link in
            link.callCount > 0
                ? DependencyLink(parent: link.parent, child: link.child, callCount: link.callCount, errorCount: max(0, link.errorCount))
                : nil
        }
    }

    /// Links the sealed traces whose timestamp is in `[fromMs, toMs]` (the window's partial minutes), whole.
    private func linkEdge(fromMs: Int64, toMs: Int64, _ snapshot: Snapshot, into all: inout DependencyLinkAccumulator) throws(StorageError)
    {
        guard fromMs <= toMs else { return }
        var lows: Set<UInt64> = []
        try catalog.candidates(service: nil, fromUs: fromMs * 1000, toUs: toMs * 1000 + 999, minDurationUs: 0) { _, low, partition, _ in
            if snapshot.partitions[partition] != nil { lows.insert(low) }
            return true
        }
        let range = (fromMs * 1000)...(toMs * 1000 + 999)
        for (_, spans) in sealedSpans(lows: lows, snapshot) {
            guard let timestamp = SpanHead.traceTimestamp(spans), range.contains(timestamp) else { continue }
            all.add(DependencyLinker.links(inTrace: spans))
        }
    }

    /// What the heads change in the links: for each trace with spans in a head, its whole links at its
    /// timestamp, less the links its sealed part already counted (at that part's timestamp).
    private func headTraceLinks(_ snapshot: Snapshot) -> [HeadLinks] {
        if let cached = headLinks.withLock({ $0 }), cached.version == snapshot.headVersion { return cached.links }
        var lows: Set<UInt64> = []
        for head in snapshot.heads {
            for positions in head.byTraceValues { lows.insert(head.spans[positions[0]].traceIdLow) }
        }
        let sealed = sealedSpans(lows: lows, snapshot)
        var entries: [HeadLinks] = []
        for low in lows {
            let old = sealed[low] ?? []
            var whole = old
            for head in snapshot.heads { whole += head.trace(high: 0, low: low, strict: false) }
            if let timestamp = SpanHead.traceTimestamp(old) {
                entries.append(HeadLinks(timestampUs: timestamp, links: DependencyLinker.links(inTrace: old), subtract: true))
            }
            guard let timestamp = SpanHead.traceTimestamp(whole) else { continue }
            entries.append(HeadLinks(timestampUs: timestamp, links: DependencyLinker.links(inTrace: whole), subtract: false))
        }
        headLinks.withLock { $0 = (snapshot.headVersion, entries) }
        return entries
    }
}

/// One trace's links as the heads change them (see `headTraceLinks`).
struct HeadLinks: Sendable {
    var timestampUs: Int64
    var links: [DependencyLink]
    var subtract: Bool
}
