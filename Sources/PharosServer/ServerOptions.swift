public import PharosIngest
public import PharosStorage
import PharosCore

/// Everything `pharos serve` can be told; each field is a flag and an environment variable.
public struct ServerOptions: Sendable {
    public var host = "0.0.0.0"
    public var httpPort = 9411
    public var openTSDBPort = 4242
    public var storage: StorageOptions
    public var putLimits = PutLimits()
    public var httpLimits = HTTPLimits()
    /// Zipkin's `STRICT_TRACE_ID`: a 128-bit trace id must match all 128 bits (else the lower 64 suffice).
    public var strictTraceId = true
    /// Span store settings: Zipkin's `AUTOCOMPLETE_KEYS`, head size, span retention.
    public var spans = SpanStoreOptions()
    /// zipkin-server's `SEARCH_ENABLED`: false answers the search and name endpoints with empty lists.
    public var searchEnabled = true
    /// zipkin-server's `QUERY_LOOKBACK`: how far back `/api/v2/traces` looks by default (1 day).
    public var queryLookbackMs: Int64 = 86_400_000
    /// Event loop threads; 0 means one per core.
    public var threads = 0

    public init(dataDirectory: String) {
        storage = StorageOptions(dataDirectory: dataDirectory)
    }
}
