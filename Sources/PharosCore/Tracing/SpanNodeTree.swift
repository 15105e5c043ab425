/// One trace as a tree of spans (Zipkin's `SpanNode`), built the way Zipkin builds it for dependency
/// linking and clock-skew correction.
///
/// Value type, immutable once built; share freely across threads. Nodes are indices into `spans`, the
/// trace after `TraceMerger.merge`. A shared server span is a child of the client with the same id; a span
/// whose parent is missing hangs under the root span, or, when no span is a root, under a synthetic root
/// that has no span (a "headless" trace). Siblings are ordered by start timestamp (unknown first), ties
/// keeping Zipkin's insertion order. Building is O(n log n): two hash maps, one sort of the edges.
public struct SpanNodeTree: Sendable {
    /// The merged spans; node `i` holds `spans[i]`.
    public let spans: [Span]
    /// The root span's node, or nil when the tree hangs under a synthetic root.
    public let root: Int?
    /// Parent node of each node, -1 for a top-level node (the root, or a child of the synthetic root).
    private let parents: [Int]
    /// `childNodes[childStart[n]..<childStart[n + 1]]` are the children of node `n`; node `spans.count` is
    /// the synthetic root.
    private let childStart: [Int]
    private let childNodes: [Int]

    /// The tree of one trace's spans (all with the same lower 64 bits of trace id), merged first.
    public init(trace spans: [Span]) {
        let merged = TraceMerger.merge(spans)
        let links = SpanNodeLinks(merged)
        self.spans = merged
        self.root = links.root
        var parents = [Int](repeating: -1, count: merged.count)
        let syntheticRoot = merged.count
        for edge in links.edges where edge.parent != syntheticRoot { parents[edge.child] = edge.parent }
        self.parents = parents

        // Children grouped by parent, by timestamp, then in attach order (Zipkin sorts each list stably).
        let ordered = links.edges.enumerated().sorted { a, b in
            let l = a.element
            let r = b.element
            if l.parent != r.parent { return l.parent < r.parent }
            let lt = merged[l.child].timestampUs
            let rt = merged[r.child].timestampUs
            if lt != rt { return lt < rt }
            return a.offset < b.offset
        }
        var childStart = [Int](repeating: 0, count: merged.count + 2)
        for edge in links.edges { childStart[edge.parent + 1] += 1 }
        for n in 0...syntheticRoot { childStart[n + 1] += childStart[n] }
        self.childStart = childStart
        self.childNodes = ordered.map { $0.element.child }
    }

    /// The parent span's node, or nil for a top-level node.
    public func parent(of node: Int) -> Int? {
        let p = parents[node]
        return p < 0 ? nil : p
    }

    /// The child nodes of `node`, earliest first.
    public func children(of node: Int) -> ArraySlice<Int> {
        childNodes[childStart[node]..<childStart[node + 1]]
    }

    /// Nodes reachable from the root, breadth first (the order Zipkin's linker visits them). With a
    /// synthetic root this starts with its children. Spans caught in a parent cycle are not reachable.
    public func breadthFirst() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(spans.count)
        if let root {
            order.append(root)
        } else {
            order.append(contentsOf: children(of: spans.count))
        }
        var head = 0
        while head < order.count {
            order.append(contentsOf: children(of: order[head]))
            head += 1
        }
        return order
    }
}
