import PharosCore

extension SpanHead {
    /// Zipkin's `QueryRequest.test` over the head: traces (grouped by the full id when `strict`, else by the
    /// lower 64 bits) whose timestamp lies in the window and whose spans meet every condition, newest first.
    func traces(matching query: TraceQuery, strict: Bool) -> [[Span]] {
        var matches: [(timestampUs: Int64, spans: [Span])] = []
        for positions in byTraceValues {
            var groups: [UInt64: [Span]] = [:]
            for index in positions {
                let span = spans[index]
                groups[strict ? span.traceIdHigh : 0, default: []].append(span)
            }
            for group in groups.values {
                guard let timestamp = Self.traceTimestamp(group),
                    timestamp >= query.endTsUs - query.lookbackUs, timestamp <= query.endTsUs, Self.test(group, query)
                else { continue }
                matches.append((timestamp, group))
            }
        }
        matches.sort { $0.timestampUs > $1.timestampUs }
        return matches.prefix(query.limit).map(\.spans)
    }

    /// The root span's timestamp, else the smallest non-zero one; nil when no span has one.
    static func traceTimestamp(_ spans: [Span]) -> Int64? {
        if let root = spans.first(where: { $0.parentId == 0 && $0.timestampUs != 0 }) { return root.timestampUs }
        return spans.map(\.timestampUs).filter { $0 != 0 }.min()
    }

    /// Each condition must be met by some span of `serviceName` (any span when no service is named).
    static func test(_ trace: [Span], _ query: TraceQuery) -> Bool {
        let candidates = query.serviceName.map { service in trace.filter { $0.localEndpoint?.serviceName == service } } ?? trace
        guard !candidates.isEmpty else { return false }
        if let name = query.spanName, !candidates.contains(where: { $0.name == name }) { return false }
        if let remote = query.remoteServiceName, !candidates.contains(where: { $0.remoteEndpoint?.serviceName == remote }) {
            return false
        }
        for term in query.annotations {
            guard candidates.contains(where: { span in
                span.annotations.contains { $0.value == term } || span.tags.contains { $0.key == term }
            }) else { return false }
        }
        for (key, value) in query.tags where !candidates.contains(where: { $0.tag(key) == value }) { return false }
        if let minimum = query.minDurationUs {
            let maximum = query.maxDurationUs ?? Int64.max
            guard candidates.contains(where: { $0.durationUs != 0 && $0.durationUs >= minimum && $0.durationUs <= maximum }) else {
                return false
            }
        }
        return true
    }
}
