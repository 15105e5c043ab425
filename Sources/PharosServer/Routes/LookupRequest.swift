import Foundation
import NIOCore
import PharosStorage

/// A parsed `/api/search/lookup` request: what to match, plus what OpenTSDB echoes back.
///
/// GET reads `m=<metric>{<tagk>=<tagv>,…}` with OpenTSDB's `Tags.parseWithMetric` rules (`*` on either
/// side of a pair, `k=` / `=v` for an empty side, `{…}` without a metric); a body (any method, as
/// OpenTSDB decides by content) is a `SearchQuery` JSON object. `useMeta` is accepted and ignored.
struct LookupRequest: Equatable {
    var metric: String?
    /// The pairs as given (with `*`), nil when a JSON body had no `tags`.
    var tags: [SeriesLookupQuery.TagPattern]?
    var limit = 25
    var startIndex = 0

    var query: SeriesLookupQuery { SeriesLookupQuery(metric: metric, tags: tags ?? []) }

    static func parse(_ request: HTTPRequest) throws(MetaAPIError) -> LookupRequest {
        var parsed = request.body.readableBytes > 0 ? try parseBody(request) : try parseQueryString(request)
        if parsed.metric == nil && (parsed.tags ?? []).isEmpty {
            throw MetaAPIError("Missing metric and tags. Please supply at least one value.")
        }
        if parsed.tags == nil && request.body.readableBytes == 0 { parsed.tags = [] }
        return parsed
    }

    private static func parseQueryString(_ request: HTTPRequest) throws(MetaAPIError) -> LookupRequest {
        let query = request.query
        guard let m = query["m"] else { throw MetaAPIError.missingParameter("m") }
        var parsed = LookupRequest()
        do {
            (parsed.metric, parsed.tags) = try parseMetricAndTags(m)
        } catch {
            throw MetaAPIError("Unable to parse query", details: error.details)
        }
        if let limit = query["limit"] {
            guard let value = Int(limit), Int32(exactly: value) != nil else {
                throw MetaAPIError("Unable to convert 'limit' to a valid number")
            }
            parsed.limit = value
        }
        return parsed
    }

    private static func parseBody(_ request: HTTPRequest) throws(MetaAPIError) -> LookupRequest {
        guard let object = try MetaJSON.parse(request.body) as? [String: Any] else {
            throw MetaAPIError("Unable to parse the given JSON", details: "the body must be a JSON object")
        }
        var parsed = LookupRequest()
        parsed.metric = try MetaJSON.string(object["metric"], field: "metric")
        if let limit = try MetaJSON.integer(object["limit"], field: "limit") { parsed.limit = Int(clamping: limit) }
        if let start = try MetaJSON.integer(object["startIndex"], field: "startIndex") { parsed.startIndex = Int(clamping: start) }
        _ = try MetaJSON.bool(object["useMeta"], field: "useMeta")
        switch object["tags"] {
        case nil, is NSNull: break
        case let list as [Any]:
            parsed.tags = try list.map { (item) throws(MetaAPIError) -> SeriesLookupQuery.TagPattern in
                guard let pair = item as? [String: Any] else {
                    throw MetaAPIError("Unable to parse the given JSON", details: "each of 'tags' must be an object with key and value")
                }
                return SeriesLookupQuery.TagPattern(
                    key: try MetaJSON.string(pair["key"], field: "tags.key"), value: try MetaJSON.string(pair["value"], field: "tags.value")
                )
            }
        default: throw MetaAPIError("Unable to parse the given JSON", details: "'tags' must be a list")
        }
        return parsed
    }

    /// `Tags.parseWithMetric(String, List<Pair>)`: the metric (nil for `{…}`) and the pairs in order.
    static func parseMetricAndTags(_ text: String) throws(MetaAPIError) -> (String?, [SeriesLookupQuery.TagPattern]) {
        guard let curly = text.firstIndex(of: "{") else {
            if text.isEmpty { throw MetaAPIError("", details: "Metric string was empty") }
            return (text, [])
        }
        guard text.last == "}" else { throw MetaAPIError("", details: "Missing '}' at the end of: \(text)") }
        let metric = curly == text.startIndex ? nil : String(text[..<curly])
        let inner = text[text.index(after: curly)..<text.index(before: text.endIndex)]
        if inner.isEmpty {
            guard metric != nil else { throw MetaAPIError("", details: "Missing metric and tags: \(text)") }
            return (metric, [])
        }
        var tags: [SeriesLookupQuery.TagPattern] = []
        for pair in inner.split(separator: ",", omittingEmptySubsequences: false) {
            do {
                tags.append(try parsePair(pair))
            } catch {
                throw MetaAPIError("", details: "When parsing tag '\(pair)': \(error.details)")
            }
        }
        return (metric, tags)
    }

    /// `Tags.parse(List<Pair>, String)`: `k=v`, `=v` (any key) or `k=` (any value).
    private static func parsePair(_ pair: Substring) throws(MetaAPIError) -> SeriesLookupQuery.TagPattern {
        guard pair.count >= 2 else { throw MetaAPIError("", details: "Missing tag pair") }
        if pair.first == "=" { return SeriesLookupQuery.TagPattern(key: nil, value: String(pair.dropFirst())) }
        if pair.last == "=" { return SeriesLookupQuery.TagPattern(key: String(pair.dropLast()), value: nil) }
        let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw MetaAPIError("", details: "invalid tag: \(pair)") }
        return SeriesLookupQuery.TagPattern(key: String(parts[0]), value: String(parts[1]))
    }
}
