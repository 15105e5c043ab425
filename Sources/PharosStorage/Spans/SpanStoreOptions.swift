/// Settings of the span store (`pharos serve` flags).
public struct SpanStoreOptions: Sendable {
    /// Tag keys whose values `/api/v2/autocompleteValues` offers (zipkin-server's `AUTOCOMPLETE_KEYS`).
    public var autocompleteKeys: [String] = []
    /// The head is sealed into a partition when it holds this many spans, or when the hour turns: this
    /// bounds the memory spans take before they are compressed.
    public var headMaxSpans = 50_000
    /// Span partitions whose hour is older than this are deleted; nil keeps everything. Zipkin's Cassandra
    /// and Elasticsearch storages default to 7 days.
    public var retentionMs: Int64? = 7 * 86_400_000

    public init() {}
}
