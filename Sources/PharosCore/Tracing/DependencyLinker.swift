/// Zipkin's dependency linker: turns the spans of a trace into service-graph edges.
///
/// Pure functions, no state; call from any thread. Per trace: `TraceMerger.merge`, then a `SpanNodeTree`,
/// then a breadth-first walk that links each remote span to its peer:
/// - a CLIENT with children is skipped (its server reports the call); a span without kind counts as a
///   CLIENT only when it names both services, else it is skipped;
/// - SERVER and CONSUMER link remote → local (skipped at the root when the caller is unknown), CLIENT and
///   PRODUCER link local → remote; messaging spans link only to a named broker, never producer → consumer;
/// - otherwise the nearest ancestor with a kind supplies a missing or SERVER-side caller, a CLIENT on
///   another service than that ancestor adds ancestor → client, and a server whose parent is that CLIENT
///   inherits its error;
/// - a call is an error when the span has an `error` tag (any value; an annotation named `error` is not).
/// A span without a service name never produces a link. Work is O(n log n) per trace.
public enum DependencyLinker {
    /// Links of one trace (all spans of one trace id), Zipkin's rules including `Trace.merge` first.
    ///
    /// Each edge appears once with its counts for this trace, in the order Zipkin discovers them
    /// (breadth first, earlier siblings first). Empty input gives no links.
    public static func links(inTrace spans: [Span]) -> [DependencyLink] {
        if spans.isEmpty { return [] }
        let tree = SpanNodeTree(trace: spans)
        var links = TraceLinks()
        let spans = tree.spans  // the merged spans; fields are read in place, no span is copied
        // The nearest ancestor with a kind, filled in visiting order (a parent is visited before its child).
        var remoteAncestor = [Int](repeating: -1, count: spans.count)

        for node in tree.breadthFirst() {
            if let parent = tree.parent(of: node) {
                remoteAncestor[node] = spans[parent].kind != nil ? parent : remoteAncestor[parent]
            }
            // A client's server names the callee best; a client without children is the last hop.
            if spans[node].kind == .client && !tree.children(of: node).isEmpty { continue }

            let serviceName = namedService(spans[node].localEndpoint)
            let remoteServiceName = namedService(spans[node].remoteEndpoint)
            let kind: SpanKind
            if let known = spans[node].kind {
                kind = known
            } else if serviceName != nil && remoteServiceName != nil {
                kind = .client  // a span without kind that knows both sides
            } else {
                continue
            }

            var parent: String?
            var child: String?
            switch kind {
            case .server, .consumer:
                child = serviceName
                parent = remoteServiceName
                if node == tree.root && parent == nil { continue }  // the root's caller is unknown
            case .client, .producer:
                parent = serviceName
                child = remoteServiceName
            }

            var isError = spans[node].tag("error") != nil
            if kind == .producer || kind == .consumer {
                if let parent, let child { links.add(parent: parent, child: child, isError: isError) }
                continue  // the broker is the other side; never link producer → consumer
            }

            // Local spans may sit between this span and its remote parent.
            let ancestor = remoteAncestor[node]
            if ancestor >= 0, let ancestorName = namedService(spans[ancestor].localEndpoint) {
                if kind == .client, let serviceName, ancestorName != serviceName {
                    // The remote service name ended up on the client: backfill the hop into it (error unknown).
                    links.add(parent: ancestorName, child: serviceName, isError: false)
                }
                if kind == .server || parent == nil { parent = ancestorName }
                // An RPC split into client and server spans: the server inherits the client's error.
                let parentId = spans[node].parentId
                if !isError && spans[ancestor].kind == .client && parentId != 0 && parentId == spans[ancestor].id {
                    isError = spans[ancestor].tag("error") != nil
                }
            }
            guard let parent, let child else { continue }
            links.add(parent: parent, child: child, isError: isError)
        }
        return links.links
    }

    /// The service name of an endpoint; an empty name counts as none.
    private static func namedService(_ endpoint: Endpoint?) -> String? {
        guard let name = endpoint?.serviceName, !name.isEmpty else { return nil }
        return name
    }

    /// Sums links per `(parent, child)`, sorted by parent then child (Java's `String.compareTo` order).
    ///
    /// Zipkin keeps first-seen order here; Pharos sorts so stored and served links do not depend on the
    /// order traces were sealed in. Same as feeding a `DependencyLinkAccumulator`.
    public static func merge(_ links: [DependencyLink]) -> [DependencyLink] {
        var accumulator = DependencyLinkAccumulator()
        accumulator.add(links)
        return accumulator.links
    }
}

/// The links of one trace in first-seen order. A trace names few distinct edges, so a linear search is
/// the fast path; past `indexThreshold` edges a dictionary keeps adding O(1).
private struct TraceLinks {
    private static let indexThreshold = 16
    private(set) var links: [DependencyLink] = []
    private var slotOfEdge: [DependencyEdge: Int] = [:]

    mutating func add(parent: String, child: String, isError: Bool) {
        let slot: Int?
        if links.count <= Self.indexThreshold {
            slot = links.firstIndex { $0.parent == parent && $0.child == child }
        } else {
            if slotOfEdge.isEmpty {
                for (i, link) in links.enumerated() { slotOfEdge[DependencyEdge(parent: link.parent, child: link.child)] = i }
            }
            slot = slotOfEdge[DependencyEdge(parent: parent, child: child)]
        }
        if let slot {
            links[slot].callCount += 1
            if isError { links[slot].errorCount += 1 }
            return
        }
        if !slotOfEdge.isEmpty { slotOfEdge[DependencyEdge(parent: parent, child: child)] = links.count }
        links.append(DependencyLink(parent: parent, child: child, callCount: 1, errorCount: isError ? 1 : 0))
    }
}
