/// What is known so far of the local endpoint of a span being assembled from pieces (Zipkin's
/// `Trace.EndpointTracker`): a later piece merges only if none of its known parts contradict it.
struct MergedEndpointIdentity {
    private var serviceName: String?
    private var ipv4: UInt32?
    private var ipv6: IPv6Address?
    private var port: UInt16 = 0

    init(_ endpoint: Endpoint?) {
        _ = tryMerge(endpoint)
    }

    /// Adopts the parts of `endpoint` not known yet and returns true, or returns false (changing nothing)
    /// when a part known on both sides differs. A missing endpoint always merges.
    mutating func tryMerge(_ endpoint: Endpoint?) -> Bool {
        guard let endpoint else { return true }
        if let known = serviceName, let other = endpoint.serviceName, known != other { return false }
        if let known = ipv4, let other = endpoint.ipv4, known != other { return false }
        if let known = ipv6, let other = endpoint.ipv6, known != other { return false }
        if port != 0 && endpoint.port != 0 && port != endpoint.port { return false }
        if serviceName == nil { serviceName = endpoint.serviceName }
        if ipv4 == nil { ipv4 = endpoint.ipv4 }
        if ipv6 == nil { ipv6 = endpoint.ipv6 }
        if port == 0 { port = endpoint.port }
        return true
    }
}

extension Span {
    /// Folds a later piece of the same operation into this span (Zipkin's `Span.Builder.merge`): values this
    /// span lacks are taken from `next`, endpoints merge part by part, annotations are combined (sorted, no
    /// duplicates), tags are combined with `next` winning on a shared key, and flags are OR-ed.
    mutating func absorbFragment(_ next: Span) {
        if parentId == 0 { parentId = next.parentId }
        if kind == nil { kind = next.kind }
        if name == nil { name = next.name }
        if timestampUs == 0 { timestampUs = next.timestampUs }
        if durationUs == 0 { durationUs = next.durationUs }
        localEndpoint = Endpoint.merging(localEndpoint, next.localEndpoint)
        remoteEndpoint = Endpoint.merging(remoteEndpoint, next.remoteEndpoint)
        if !next.annotations.isEmpty {
            var combined = annotations + next.annotations
            combined.sort()
            annotations = combined.removingAdjacentDuplicates()
        }
        if !next.tags.isEmpty {
            tags = Self.combiningTags(tags, next.tags)
        }
        debug = debug || next.debug
        shared = shared || next.shared
    }

    /// Both tag lists as one sorted by key with unique keys; a key in `later` replaces the same key in
    /// `earlier` (Java's `TreeMap.putAll`).
    private static func combiningTags(_ earlier: [SpanTag], _ later: [SpanTag]) -> [SpanTag] {
        // Stable order by key, `earlier` before `later`: the last of each run of equal keys wins.
        let ordered = (earlier + later).enumerated().sorted { a, b in
            if a.element.key != b.element.key { return a.element < b.element }
            return a.offset < b.offset
        }
        var result: [SpanTag] = []
        result.reserveCapacity(ordered.count)
        for (_, tag) in ordered {
            if let last = result.last, last.key == tag.key {
                result[result.count - 1] = tag
            } else {
                result.append(tag)
            }
        }
        return result
    }
}

extension Endpoint {
    /// `first` completed part by part from `second` (Zipkin's `Endpoint.Builder.merge`).
    static func merging(_ first: Endpoint?, _ second: Endpoint?) -> Endpoint? {
        guard var merged = first else { return second }
        guard let second else { return merged }
        if merged.serviceName == nil { merged.serviceName = second.serviceName }
        if merged.ipv4 == nil { merged.ipv4 = second.ipv4 }
        if merged.ipv6 == nil { merged.ipv6 = second.ipv6 }
        if merged.port == 0 { merged.port = second.port }
        return merged
    }
}

extension Array where Element: Equatable {
    /// The array without elements equal to their predecessor (a sorted array without duplicates).
    fileprivate func removingAdjacentDuplicates() -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(count)
        for element in self where result.last != element { result.append(element) }
        return result
    }
}
