import PharosCore

extension SpanHead {
    /// Search candidates in the head: trace ids (grouped by the full id when `strict`) with a span of `service`
    /// (any span when nil) of at least `minDurationUs`, whose head fragment's timestamp lies in `[fromUs, toUs]`.
    func candidates(service: String?, fromUs: Int64, toUs: Int64, minDurationUs: Int64, strict: Bool) -> [TraceCandidate] {
        var found: [TraceCandidate] = []
        func qualifies(_ index: Int) -> Bool {
            let span = spans[index]
            return span.durationUs >= minDurationUs && (service == nil || span.localEndpoint?.serviceName == service)
        }
        for positions in byTraceValues {
            // Most head traces fail this first test, which allocates nothing.
            guard positions.contains(where: qualifies) else { continue }
            let low = spans[positions[0]].traceIdLow
            let highs = strict ? Set(positions.map { spans[$0].traceIdHigh }) : [0]
            for high in highs {
                let members = positions.filter { !strict || spans[$0].traceIdHigh == high }
                guard members.contains(where: qualifies), let timestamp = timestamp(of: members), timestamp >= fromUs, timestamp <= toUs
                else { continue }
                found.append(TraceCandidate(high: high, low: low, timestampUs: timestamp))
            }
        }
        return found
    }

    /// `traceTimestamp` of the spans at `positions`, without copying them.
    private func timestamp(of positions: [Int]) -> Int64? {
        var earliest = Int64.max
        for index in positions {
            let span = spans[index]
            if span.parentId == 0 && span.timestampUs != 0 { return span.timestampUs }
            if span.timestampUs != 0 { earliest = min(earliest, span.timestampUs) }
        }
        return earliest == .max ? nil : earliest
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
        // A bare term, or `key=` with an empty value, matches an annotation value or a tag key.
        for term in query.annotations + query.tags.filter({ $0.value.isEmpty }).map(\.key) {
            guard
                candidates.contains(where: { span in
                    span.annotations.contains { $0.value == term } || span.tags.contains { $0.key == term }
                })
            else { return false }
        }
        for (key, value) in query.tags where !value.isEmpty && !candidates.contains(where: { $0.tag(key) == value }) { return false }
        if let minimum = query.minDurationUs {
            let maximum = query.maxDurationUs ?? Int64.max
            guard candidates.contains(where: { $0.durationUs != 0 && $0.durationUs >= minimum && $0.durationUs <= maximum }) else {
                return false
            }
        }
        return true
    }
}
