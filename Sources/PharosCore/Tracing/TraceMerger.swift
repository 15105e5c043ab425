/// Zipkin's `Trace.merge`: cleans up the spans of one trace before a tree is built from them.
///
/// Reporters send one operation in pieces (a span flushed early, its duration later), and in B3 a client and
/// its server share one span id. Merging (1) sorts by span id, then non-shared before shared with clients
/// first, then local endpoint (none first); (2) gives every span the 128-bit trace id if any span has one
/// (some hosts truncate to 64 bits); (3) folds consecutive spans with the same id and `shared` flag whose
/// local endpoints do not conflict into the first (first non-empty value wins, annotations and tags are
/// combined, flags OR-ed); (4) marks a SERVER that follows a CLIENT with the same id as `shared`, and gives a
/// shared span without a parent id its client's parent id.
///
/// Also undoes what Zipkin's span builder never lets through: a parent id equal to the span id, and `shared`
/// on a CLIENT span. Pure and allocation-light: one sort of indices and one output array per call; the
/// work is O(n log n) in the number of spans. Known deviation: two local endpoints that differ only in
/// IPv6 address are ordered numerically, where Zipkin compares their text form (see `TraceMerger+Order`).
public enum TraceMerger {
    /// The merged spans of one trace, in cleanup order (by span id; a shared server after its client).
    ///
    /// All spans must belong to one trace (the same lower 64 bits of the trace id); the result has at most
    /// as many spans as the input.
    public static func merge(_ spans: [Span]) -> [Span] {
        if spans.count <= 1 { return spans.map(normalized) }
        // Compacts in place: `result[..<kept]` is done, `result[next...]` is still to read. Spans are only
        // copied when an earlier one was folded away, so a trace with nothing to merge is one sort.
        var result = cleanupOrder(spans)
        let traceId = preferredTraceId(result)
        var kept = 0
        var next = 0
        while next < result.count {
            let id = result[next].id
            let shared = result[next].shared
            let kind = result[next].kind
            let parentId = result[next].parentId
            if kept != next { result[kept] = result[next] }
            next += 1
            if result[kept].traceIdIs128Bit != traceId.is128Bit {
                result[kept].traceIdHigh = traceId.high
                result[kept].traceIdLow = traceId.low
                result[kept].traceIdIs128Bit = traceId.is128Bit
            }

            // Fold in later pieces of the same operation: same id, same side, compatible local endpoint.
            if next < result.count && result[next].id == id {
                var endpoint = MergedEndpointIdentity(result[kept].localEndpoint)
                while next < result.count, result[next].id == id, result[next].shared == shared,
                    endpoint.tryMerge(result[next].localEndpoint)
                {
                    result[kept].absorbFragment(result[next])
                    next += 1
                }
            }

            // The cleanup order puts a client before the server sharing its id: repair what the server missed.
            // As in Zipkin, the conditions look at the span as reported, before folding.
            if kept > 0 && result[kept - 1].id == id {
                let last = kept - 1
                var isShared = shared
                if result[last].kind == .client && kind == .server && !isShared {
                    isShared = true
                    result[kept].shared = true
                }
                if isShared && parentId == 0 && result[last].parentId != 0 {
                    result[kept].parentId = result[last].parentId
                }
            }
            if result[kept].parentId == id || (result[kept].shared && result[kept].kind == .client) {
                result[kept] = normalized(result[kept])
            }
            kept += 1
        }
        result.removeSubrange(kept...)
        return result
    }

    /// Clears what Zipkin's span builder clears: a self-referencing parent id, `shared` on a client.
    static func normalized(_ span: Span) -> Span {
        guard span.parentId == span.id || (span.shared && span.kind == .client) else { return span }
        var copy = span
        if copy.parentId == copy.id { copy.parentId = 0 }
        if copy.shared && copy.kind == .client { copy.shared = false }
        return copy
    }

    /// The trace id every span should carry: the first 128-bit one in cleanup order, else the last span's.
    private static func preferredTraceId(_ sorted: [Span]) -> (high: UInt64, low: UInt64, is128Bit: Bool) {
        var chosen = sorted[0]
        for span in sorted.dropFirst() where !chosen.traceIdIs128Bit { chosen = span }
        return (chosen.traceIdHigh, chosen.traceIdLow, chosen.traceIdIs128Bit)
    }
}
