extension QueryRequest {
    /// Parses `GET /api/query?start=…&m=…` parameters (`QueryRpc.parseQuery`): `start`, `end`, `tz`,
    /// repeated `m=` and `tsuid=`, and the flags `ms`, `arrays`, `show_query`, `show_summary`,
    /// `show_tsuids`, `no_annotations`, `global_annotations`.
    public init(parameters: [(String, String)], nowMs: Int64) throws(QueryError) {
        func value(_ name: String) -> String? { parameters.last { $0.0 == name }?.1 }
        func flag(_ name: String) -> Bool { value(name).map { $0 != "false" } ?? false }
        let timezone = value("tz") ?? value("timezone")
        guard let startText = value("start") else { throw QueryError("Missing start time") }
        let start = try QueryTime.parse(startText, nowMs: nowMs, timezone: timezone)
        let end = try value("end").map { (text) throws(QueryError) in try QueryTime.parse(text, nowMs: nowMs, timezone: timezone) } ?? nowMs
        var queries: [SubQuery] = []
        for (name, text) in parameters where name == "m" || name == "tsuid" {
            var query = name == "m" ? try Self.parseM(text) : try Self.parseTSUIDQuery(text)
            query.index = queries.count
            if !queries.contains(where: {
                var other = $0; other.index = query.index; return other == query
            }) {
                queries.append(query)
            }
        }
        guard !queries.isEmpty else { throw QueryError("Missing sub queries") }
        self.init(startMs: start, endMs: end, queries: queries, timezone: timezone)
        msResolution = flag("ms") || flag("msResolution")
        arrays = flag("arrays")
        showQuery = flag("show_query")
        showSummary = flag("show_summary")
        showTSUIDs = flag("show_tsuids")
        noAnnotations = flag("no_annotations")
        globalAnnotations = flag("global_annotations")
        try validate()
    }

    /// `<agg>:[<downsample>:][rate[{opts}]:][explicit_tags:]<metric>[{group-by filters}][{other filters}]`;
    /// the middle parts may come in any order.
    public static func parseM(_ text: String) throws(QueryError) -> SubQuery {
        let parts = splitColons(text[...])
        guard parts.count >= 2 && parts.count <= 6 else { throw QueryError("Invalid parameter m=\(text)") }
        guard let aggregator = Aggregator.named(String(parts[0])) else { throw QueryError("No such aggregation function: \(parts[0])") }
        var query = SubQuery(aggregator: aggregator, metric: "")
        for middle in parts[1..<(parts.count - 1)] {
            if middle.hasPrefix("rate") {
                query.rate = true
                if let open = middle.firstIndex(of: "{") {
                    guard middle.last == "}" else { throw QueryError("Invalid rate options specification: \(middle)") }
                    query.rateOptions = try RateOptions(parsing: middle[middle.index(after: open)..<middle.index(before: middle.endIndex)])
                }
            } else if middle.first?.isNumber == true {
                query.downsample = try DownsampleSpec(parsing: String(middle))
            } else if middle == "explicit_tags" {
                query.explicitTags = true
            } else if middle.hasPrefix("percentiles") {
                throw QueryError("Percentiles need histogram data, which Pharos does not store")
            } else if middle == "pre-agg" || middle.hasPrefix("rollup_") || middle == "show-histogram-buckets" {
                continue
            } else {
                throw QueryError("Unrecognized m parameter part: \(middle)")
            }
        }
        let last = parts[parts.count - 1]
        guard let brace = last.firstIndex(of: "{") else {
            query.metric = String(last)
            return try checked(query)
        }
        query.metric = String(last[..<brace])
        var rest = last[brace...]
        var groupBy = true
        while !rest.isEmpty {
            guard rest.first == "{", let close = rest.firstIndex(of: "}") else { throw QueryError("Invalid tag filters: \(last)") }
            var end = close
            var depth = 0
            for index in rest.indices {
                if rest[index] == "(" {
                    depth += 1
                } else if rest[index] == ")" {
                    depth -= 1
                } else if rest[index] == "}" && depth == 0 {
                    end = index; break
                }
            }
            query.filters += try TagFilter.parseBraces(rest[rest.index(after: rest.startIndex)..<end], groupBy: groupBy)
            rest = rest[rest.index(after: end)...]
            guard groupBy || rest.isEmpty else { throw QueryError("Too many tag filter groups in: \(last)") }
            groupBy = false
        }
        return try checked(query)
    }

    /// `tsuid=<agg>:<tsuid>[,<tsuid>…]`.
    static func parseTSUIDQuery(_ text: String) throws(QueryError) -> SubQuery {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { throw QueryError("Invalid parameter tsuid=\(text)") }
        guard let aggregator = Aggregator.named(String(parts[0])) else { throw QueryError("No such aggregation function: \(parts[0])") }
        return SubQuery(aggregator: aggregator, metric: "", tsuids: parts[1].split(separator: ",").map(String.init))
    }

    static func checked(_ query: SubQuery) throws(QueryError) -> SubQuery {
        guard !query.metric.isEmpty || !query.tsuids.isEmpty else { throw QueryError("Missing the metric or tsuids") }
        return query
    }

    /// Splits on `:` outside braces and parentheses.
    private static func splitColons(_ text: Substring) -> [Substring] {
        var out: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "{", "(": depth += 1
            case "}", ")": depth = max(0, depth - 1)
            case ":" where depth == 0:
                out.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        out.append(text[start...])
        return out
    }

    /// Splits a URL query string into percent-decoded pairs, in order; a key without `=` maps to "".
    public static func parameters(fromQueryString query: Substring) -> [(String, String)] {
        query.split(separator: "&").map { pair in
            guard let eq = pair.firstIndex(of: "=") else { return (percentDecode(pair), "") }
            return (percentDecode(pair[..<eq]), percentDecode(pair[pair.index(after: eq)...]))
        }
    }

    static func percentDecode(_ text: Substring) -> String {
        guard text.contains("%") || text.contains("+") else { return String(text) }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
                let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                i += 2
            } else {
                bytes.append(utf8[i])
            }
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
