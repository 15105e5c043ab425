import PharosCore

/// Spans not yet sealed into a span partition, indexed for Zipkin's queries.
///
/// Not thread-safe by itself: `SpanStore` guards it with one lock (spans arrive in batches, so the lock is
/// taken once per request, not per span).
struct SpanHead {
    private(set) var spans: [Span] = []
    /// Lower 64 bits of the trace id → positions in `spans`.
    private var byTrace: [UInt64: [Int]] = [:]
    /// Service → span names and remote service names seen with it.
    private(set) var spanNames: [String: Set<String>] = [:]
    private(set) var remoteServices: [String: Set<String>] = [:]
    /// Tag key → values, for the configured autocomplete keys only.
    private(set) var autocomplete: [String: Set<String>] = [:]

    mutating func insert(_ span: Span, autocompleteKeys: Set<String>) {
        byTrace[span.traceIdLow, default: []].append(spans.count)
        spans.append(span)
        if let service = span.localEndpoint?.serviceName {
            // In place: a read-modify-write of the set would copy it for every span.
            if let name = span.name {
                spanNames[service, default: []].insert(name)
            } else if spanNames[service] == nil {
                spanNames[service] = []
            }
            if let remote = span.remoteEndpoint?.serviceName { remoteServices[service, default: []].insert(remote) }
        }
        for tag in span.tags where autocompleteKeys.contains(tag.key) {
            autocomplete[tag.key, default: []].insert(tag.value)
        }
    }

    /// The spans of one trace; with `strict`, the upper 64 bits must match too.
    func trace(high: UInt64, low: UInt64, strict: Bool) -> [Span] {
        (byTrace[low] ?? []).map { spans[$0] }.filter { !strict || $0.traceIdHigh == high }
    }

    /// The span positions of every trace, grouped by the lower 64 bits of the trace id.
    var byTraceValues: Dictionary<UInt64, [Int]>.Values { byTrace.values }
}
