/// A Zipkin `/api/v2/traces` search: every condition must be met by spans of `serviceName` (when given),
/// the trace must overlap `[endTsUs − lookbackUs, endTsUs]`, and at most `limit` traces come back, newest first.
public struct TraceQuery: Sendable, Equatable {
    public var serviceName: String?
    public var remoteServiceName: String?
    public var spanName: String?
    /// `annotationQuery` terms: a bare term matches an annotation value or a tag key; `key=value` a tag.
    public var annotations: [String] = []
    public var tags: [String: String] = [:]
    public var minDurationUs: Int64?
    public var maxDurationUs: Int64?
    public var endTsUs: Int64
    public var lookbackUs: Int64
    public var limit: Int

    public init(endTsUs: Int64, lookbackUs: Int64, limit: Int = 10) {
        self.endTsUs = endTsUs
        self.lookbackUs = lookbackUs
        self.limit = limit
    }
}
