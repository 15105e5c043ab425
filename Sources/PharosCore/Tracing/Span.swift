/// One single-host operation of a trace (Zipkin's v2 `Span`), as Pharos stores and serves it.
///
/// Value type; share freely across threads. Absent values are zero or nil, exactly where Zipkin's model
/// says "zero means null" (`parentId`, `timestampUs`, `durationUs`), so a span stays compact and its
/// equality matches Zipkin's. The initialiser stores what it is given; the Zipkin decoders produce the
/// normalised form (lower-case names, annotations sorted without duplicates, tags sorted by key with unique
/// keys, no `parentId == id`, no `shared` on a client span), which is what the encoder expects.
public struct Span: Sendable, Hashable {
    /// Upper 64 bits of the trace id; 0 for a 64-bit trace id.
    public var traceIdHigh: UInt64
    /// Lower 64 bits of the trace id (what Zipkin storage indexes on); never 0 for a valid 64-bit id.
    public var traceIdLow: UInt64
    /// Whether the trace id was reported as 128 bits (32 hex characters). Usually `traceIdHigh != 0`, but
    /// Zipkin keeps e.g. a 20-character id as 32 characters even when its upper half is all zeros.
    public var traceIdIs128Bit: Bool
    /// The parent span's id; 0 for a root span.
    public var parentId: UInt64
    /// This span's id; never 0.
    public var id: UInt64
    /// Role of a remote span; nil for a local one.
    public var kind: SpanKind?
    /// Lower-case operation name; nil when unknown.
    public var name: String?
    /// Epoch microseconds of the start; 0 when unknown.
    public var timestampUs: Int64
    /// Length of the critical path in microseconds; 0 when unknown.
    public var durationUs: Int64
    /// The host that recorded the span.
    public var localEndpoint: Endpoint?
    /// The other side of a remote call or message.
    public var remoteEndpoint: Endpoint?
    /// Timestamped events, sorted.
    public var annotations: [SpanAnnotation]
    /// Key-value context, sorted by key.
    public var tags: [SpanTag]
    /// A request to keep this span even if sampling would drop it.
    public var debug: Bool
    /// This span continues one started by another host (the server side of a shared RPC span id).
    public var shared: Bool

    /// A span; only the trace id and id are required.
    public init(
        traceIdHigh: UInt64 = 0, traceIdLow: UInt64, traceIdIs128Bit: Bool? = nil, parentId: UInt64 = 0, id: UInt64,
        kind: SpanKind? = nil, name: String? = nil, timestampUs: Int64 = 0, durationUs: Int64 = 0,
        localEndpoint: Endpoint? = nil, remoteEndpoint: Endpoint? = nil, annotations: [SpanAnnotation] = [],
        tags: [SpanTag] = [], debug: Bool = false, shared: Bool = false
    ) {
        self.traceIdHigh = traceIdHigh
        self.traceIdLow = traceIdLow
        self.traceIdIs128Bit = traceIdIs128Bit ?? (traceIdHigh != 0)
        self.parentId = parentId
        self.id = id
        self.kind = kind
        self.name = name
        self.timestampUs = timestampUs
        self.durationUs = durationUs
        self.localEndpoint = localEndpoint
        self.remoteEndpoint = remoteEndpoint
        self.annotations = annotations
        self.tags = tags
        self.debug = debug
        self.shared = shared
    }

    /// The value of tag `key`, if present (binary search: tags are sorted).
    public func tag(_ key: String) -> String? {
        var low = 0
        var high = tags.count
        while low < high {
            let mid = (low + high) / 2
            if tags[mid].key == key { return tags[mid].value }
            if JavaStringOrder.precedes(tags[mid].key, key) { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
