/// A whole `/api/query` request (OpenTSDB's `TSQuery`): the time range, the sub-queries and the output
/// switches. Built by `init(get:)` from URL parameters or `init(json:)` from a POST body.
public struct QueryRequest: Sendable, Equatable {
    public var startMs: Int64
    public var endMs: Int64
    public var queries: [SubQuery]
    /// IANA zone for absolute dates and calendar downsampling; UTC when absent.
    public var timezone: String?
    public var msResolution = false
    public var arrays = false
    public var showQuery = false
    public var showSummary = false
    public var showTSUIDs = false
    public var noAnnotations = false
    public var globalAnnotations = false

    public init(startMs: Int64, endMs: Int64, queries: [SubQuery], timezone: String? = nil) {
        self.startMs = startMs
        self.endMs = endMs
        self.queries = queries
        self.timezone = timezone
    }

    /// Checks the range as `TSQuery.validateAndSetQuery` does.
    func validate() throws(QueryError) {
        guard endMs >= startMs else {
            throw QueryError("End time [\(endMs)] must be greater than the start time [\(startMs)]")
        }
        guard !queries.isEmpty else { throw QueryError("Missing queries") }
        if timezone != nil { _ = try CalendarBuckets.calendar(timezone) }
    }
}
