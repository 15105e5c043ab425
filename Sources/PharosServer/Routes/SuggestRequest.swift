import NIOCore
import NIOHTTP1
import PharosStorage

/// A parsed `/api/suggest` request, with OpenTSDB's `SuggestRpc` rules and messages: GET reads `type`,
/// `q` and `max` from the query string, POST a JSON object of the same fields; `max` ≤ 0 or absent means 25.
struct SuggestRequest: Equatable {
    var kind: SeriesLookupQuery.NameKind
    var prefix: String
    var max: Int

    static let defaultMax = 25

    static func parse(_ request: HTTPRequest) throws(MetaAPIError) -> SuggestRequest {
        let type: String
        let prefix: String
        let max: String?
        if request.method == .POST {
            guard let object = try MetaJSON.parse(request.body) as? [String: Any] else {
                throw MetaAPIError("Unable to parse the given JSON", details: "the body must be a JSON object")
            }
            guard let given = try MetaJSON.string(object["type"], field: "type"), !given.isEmpty else {
                throw MetaAPIError("Missing 'type' parameter")
            }
            type = given
            prefix = try MetaJSON.string(object["q"], field: "q") ?? ""
            max = try MetaJSON.string(object["max"], field: "max")
        } else {
            let query = request.query
            guard let given = query["type"] else { throw MetaAPIError.missingParameter("type") }
            type = given
            prefix = query["q"] ?? ""
            max = query["max"]
        }
        var limit = 0
        if let max, !max.isEmpty {
            guard let value = Int32(max) else { throw MetaAPIError("Unable to parse 'max' as a number") }
            limit = Int(value)
        }
        let kind: SeriesLookupQuery.NameKind
        switch type.lowercased() {
        case "metric", "metrics": kind = .metric
        case "tagk": kind = .tagKey
        case "tagv": kind = .tagValue
        default: throw MetaAPIError("Invalid 'type' parameter:\(type)", details: "Invalid type requested: \(type)")
        }
        return SuggestRequest(kind: kind, prefix: prefix, max: limit > 0 ? limit : defaultMax)
    }
}
