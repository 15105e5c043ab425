public import Foundation

extension QueryRequest {
    /// Parses a `POST /api/query` body (OpenTSDB's `TSQuery` JSON).
    public init(json data: Data, nowMs: Int64) throws(QueryError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw QueryError("Unable to parse the given JSON")
        }
        let timezone = object["timezone"] as? String
        guard let startValue = object["start"] else { throw QueryError("Missing start time") }
        let start = try QueryTime.parse(json: startValue, nowMs: nowMs, timezone: timezone)
        let end =
            try object["end"].map { (value) throws(QueryError) in try QueryTime.parse(json: value, nowMs: nowMs, timezone: timezone) }
            ?? nowMs
        guard let list = object["queries"] as? [Any], !list.isEmpty else { throw QueryError("Missing queries") }
        var queries: [SubQuery] = []
        for (index, item) in list.enumerated() {
            guard let item = item as? [String: Any] else {
                throw QueryError("Unable to parse the given JSON", details: "queries[\(index)] is not an object")
            }
            var query = try Self.subQuery(item)
            query.index = index
            queries.append(query)
        }
        self.init(startMs: start, endMs: end, queries: queries, timezone: timezone)
        func flag(_ names: String...) -> Bool { names.contains { (object[$0] as? Bool) ?? false } }
        msResolution = flag("msResolution", "ms")
        arrays = flag("arrays", "arrayResponse")
        showQuery = flag("showQuery")
        showSummary = flag("showSummary", "showStats")
        showTSUIDs = flag("showTSUIDs")
        noAnnotations = flag("noAnnotations")
        globalAnnotations = flag("globalAnnotations")
        try validate()
    }

    static func subQuery(_ item: [String: Any]) throws(QueryError) -> SubQuery {
        guard let name = item["aggregator"] as? String, !name.isEmpty else { throw QueryError("Missing the aggregation function") }
        guard let aggregator = Aggregator.named(name) else { throw QueryError("No such aggregation function: \(name)") }
        var query = SubQuery(aggregator: aggregator, metric: (item["metric"] as? String) ?? "")
        query.tsuids = (item["tsuids"] as? [String]) ?? []
        if let text = item["downsample"] as? String, !text.isEmpty { query.downsample = try DownsampleSpec(parsing: text) }
        query.rate = (item["rate"] as? Bool) ?? false
        if let options = item["rateOptions"] as? [String: Any] {
            query.rateOptions.counter = (options["counter"] as? Bool) ?? false
            query.rateOptions.dropResets = (options["dropResets"] as? Bool) ?? false
            if let max = try number(options["counterMax"], "counterMax") { query.rateOptions.counterMax = max }
            if let reset = try number(options["resetValue"], "resetValue") { query.rateOptions.resetValue = reset }
        }
        query.explicitTags = (item["explicitTags"] as? Bool) ?? false
        if let percentiles = item["percentiles"] as? [Any], !percentiles.isEmpty {
            throw QueryError("Percentiles need histogram data, which Pharos does not store")
        }
        if let filters = item["filters"] as? [[String: Any]], !filters.isEmpty {
            for filter in filters {
                guard let type = filter["type"] as? String, let kind = TagFilter.Kind(rawValue: type.lowercased()) else {
                    throw QueryError("Could not find a filter plugin of type: \(filter["type"] ?? "null")")
                }
                guard let tagk = filter["tagk"] as? String else { throw QueryError("Missing tag key in filter") }
                let groupBy = (filter["groupBy"] as? Bool) ?? false
                query.filters.append(try TagFilter(kind: kind, tagk: tagk, filter: (filter["filter"] as? String) ?? "", groupBy: groupBy))
            }
        } else if let tags = item["tags"] as? [String: Any] {
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                guard let value = value as? String else { throw QueryError("Invalid tag value for \(key)") }
                query.filters.append(try TagFilter(tagk: key, shorthand: value, groupBy: true))
            }
        }
        return try checked(query)
    }

    private static func number(_ value: Any?, _ name: String) throws(QueryError) -> Double? {
        guard let value else { return nil }
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String, let number = Double(text) { return number }
        throw QueryError("\(name) was not a number, received '\(value)'")
    }
}
