/// A query that cannot run, with OpenTSDB's message, for a `{"error":{"code":…,"message":…}}` response.
///
/// Client mistakes (bad time, unknown aggregator, unknown metric) are 400s; the code travels with the error
/// so the route never has to guess.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status OpenTSDB answers with.
    public var code: Int
    public var message: String
    public var details: String

    public init(_ message: String, code: Int = 400, details: String = "") {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// OpenTSDB's answer for a metric that has never been written.
    static func noSuchMetric(_ name: String) -> QueryError {
        QueryError("No such name for 'metrics': '\(name)'")
    }
}
