import Foundation

/// The parameters of `GET /api/v2/traces`, built like Zipkin's `QueryRequest.Builder` and sent as a query
/// string. `endTs` and `lookback` are ms, durations µs.
struct TracesQuery: CustomStringConvertible {
    var serviceName: String?
    var remoteServiceName: String?
    var spanName: String?
    var annotationQuery: String?
    var minDuration: Int64?
    var maxDuration: Int64?
    var endTs: Int64?
    var lookback: Int64?
    var limit: Int?

    /// `ITStorage.requestBuilder()`: `endTs=TODAY+DAY&lookback=2*DAY&limit=100`.
    static var defaults: TracesQuery {
        TracesQuery(endTs: TestObjects.TODAY + TestObjects.DAY, lookback: 2 * TestObjects.DAY, limit: 100)
    }

    /// A copy with `change` applied, for one-line variations of `defaults`.
    func with(_ change: (inout TracesQuery) -> Void) -> TracesQuery {
        var copy = self
        change(&copy)
        return copy
    }

    /// `annotationQuery` as `QueryRequest.Builder.annotationQuery(Map)` renders a tag map: `k=v and k2=v2`.
    static func annotationQuery(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " and ")
    }

    var queryString: String {
        var items: [(String, String)] = []
        if let serviceName { items.append(("serviceName", serviceName)) }
        if let remoteServiceName { items.append(("remoteServiceName", remoteServiceName)) }
        if let spanName { items.append(("spanName", spanName)) }
        if let annotationQuery { items.append(("annotationQuery", annotationQuery)) }
        if let minDuration { items.append(("minDuration", String(minDuration))) }
        if let maxDuration { items.append(("maxDuration", String(maxDuration))) }
        if let endTs { items.append(("endTs", String(endTs))) }
        if let lookback { items.append(("lookback", String(lookback))) }
        if let limit { items.append(("limit", String(limit))) }
        return items.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    var description: String { "/api/v2/traces?" + queryString }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
