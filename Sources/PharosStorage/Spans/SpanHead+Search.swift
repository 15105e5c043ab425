import PharosCore

extension SpanHead {
    /// Search candidates in the head: trace ids (grouped by the full id when `strict`) with a span of `service`
    /// (any span when nil) of at least `minDurationUs`, whose head fragment's timestamp lies in `[fromUs, toUs]`.
    func candidates(service: String?, fromUs: Int64, toUs: Int64, minDurationUs: Int64, strict: Bool) -> [TraceCandidate] {
        var found: [TraceCandidate] = []
        for positions in byTraceValues {
            var groups: [UInt64: [Span]] = [:]
            for index in positions where service == nil || spans[index].localEndpoint?.serviceName == service {
                groups[strict ? spans[index].traceIdHigh : 0, default: []].append(spans[index])
            }
            for (high, group) in groups where group.contains(where: { $0.durationUs >= minDurationUs }) {
                let all = trace(high: high, low: group[0].traceIdLow, strict: strict)
                guard let timestamp = Self.traceTimestamp(all), timestamp >= fromUs, timestamp <= toUs else { continue }
                found.append(TraceCandidate(high: high, low: group[0].traceIdLow, timestampUs: timestamp))
            }
        }
        return found
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
