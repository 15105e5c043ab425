/// The parent of every span of a merged trace, decided the way Zipkin's `SpanNode.Builder` decides it.
///
/// Spans are keyed by id, and a shared span additionally by its local endpoint (several servers may answer
/// one client id). A shared span's parent is the client with its id. A non-shared span whose parent id
/// names a shared span on the *same* local endpoint is parented to that server; otherwise to the span
/// with the plain parent id. The first span with no parent becomes the root; a span whose parent is
/// absent is attached to the root (or to a synthetic root, node `spans.count`, when there is none).
struct SpanNodeLinks {
    /// One parent-child attachment, in Zipkin's order of attaching.
    struct Edge {
        var parent: Int
        var child: Int
    }

    private(set) var root: Int?
    private(set) var edges: [Edge] = []

    /// Links `spans`, which must be in `TraceMerger.merge` order (sorted by span id).
    init(_ spans: [Span]) {
        var parentKeys = SpanNodeParentKeys(capacity: spans.count)
        for span in spans {
            if span.shared {
                parentKeys.put(.shared(span.id, span.localEndpoint), parent: .plain(span.id))
            } else {
                parentKeys.put(.plain(span.id), parent: span.parentId == 0 ? nil : .plain(span.parentId))
            }
        }

        var nodeOfKey: [SpanNodeKey: Int] = [:]
        nodeOfKey.reserveCapacity(spans.count)
        for (node, span) in spans.enumerated() {
            let key: SpanNodeKey = span.shared ? .shared(span.id, span.localEndpoint) : .plain(span.id)
            let noEndpointKey: SpanNodeKey = span.shared && span.localEndpoint != nil ? .shared(span.id, nil) : key
            var hasParent = span.shared
            if !span.shared && span.parentId != 0 {
                hasParent = true
                // Most specific first: a local span under a shared server on this same endpoint.
                if Self.hasSharedSpan(spans, id: span.parentId, localEndpoint: span.localEndpoint) {
                    parentKeys.put(noEndpointKey, parent: .shared(span.parentId, span.localEndpoint))
                }
            }
            if !hasParent && root == nil {
                root = node  // the first span without a parent is taken as the real root
                parentKeys.remove(noEndpointKey)
            } else {
                nodeOfKey[key] = node
                if span.shared { nodeOfKey[noEndpointKey] = node }
            }
        }

        let top = root ?? spans.count
        var attached = [Bool](repeating: false, count: spans.count)
        edges.reserveCapacity(spans.count)
        parentKeys.forEach { key, parentKey in
            guard let child = nodeOfKey[key], !attached[child] else { return }
            var parent = parentKey.flatMap { nodeOfKey[$0] } ?? top  // headless: a missing parent means the root
            if parent == child { parent = top }
            attached[child] = true
            edges.append(Edge(parent: parent, child: child))
        }
    }
}

extension SpanNodeLinks {
    /// Whether a shared span with `id` and exactly this local endpoint exists, i.e. whether Zipkin's
    /// parent index holds the key `(id, shared, localEndpoint)`: every shared span is indexed under that
    /// key and none is ever removed. A binary search over the id-sorted spans instead of hashing the
    /// endpoint's strings.
    static func hasSharedSpan(_ spans: [Span], id: UInt64, localEndpoint: Endpoint?) -> Bool {
        var low = 0
        var high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].id < id { low = mid + 1 } else { high = mid }
        }
        while low < spans.count && spans[low].id == id {
            if spans[low].shared && spans[low].localEndpoint == localEndpoint { return true }
            low += 1
        }
        return false
    }
}

/// How a span is addressed while building the tree: by id, or for a shared span by id and local endpoint.
enum SpanNodeKey: Hashable {
    case plain(UInt64)
    case shared(UInt64, Endpoint?)
}

/// Child key → parent key, iterated in first-insertion order (Java's `LinkedHashMap`, which decides the
/// order siblings with equal timestamps are visited in).
struct SpanNodeParentKeys {
    private var keys: [SpanNodeKey] = []
    private var parents: [SpanNodeKey?] = []
    private var live: [Bool] = []
    private var slotOfKey: [SpanNodeKey: Int] = [:]

    init(capacity: Int) {
        keys.reserveCapacity(capacity)
        parents.reserveCapacity(capacity)
        live.reserveCapacity(capacity)
        slotOfKey.reserveCapacity(capacity)
    }

    /// Sets the parent of `key`, keeping its position if present, else appending it. One hash probe when
    /// the key is new (the common case).
    mutating func put(_ key: SpanNodeKey, parent: SpanNodeKey?) {
        if let slot = slotOfKey.updateValue(keys.count, forKey: key) {
            slotOfKey[key] = slot  // already present: keep its place
            parents[slot] = parent
            return
        }
        keys.append(key)
        parents.append(parent)
        live.append(true)
    }

    mutating func remove(_ key: SpanNodeKey) {
        if let slot = slotOfKey.removeValue(forKey: key) { live[slot] = false }
    }

    func forEach(_ body: (SpanNodeKey, SpanNodeKey?) -> Void) {
        for slot in keys.indices where live[slot] { body(keys[slot], parents[slot]) }
    }
}
