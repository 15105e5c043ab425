public import PharosCore

/// Writes `/api/query` results as OpenTSDB's `HttpJsonSerializer.formatQueryAsyncV1` does: an array of
/// `{"metric","tags","aggregateTags",["query"],["tsuids"],["annotations"],["globalAnnotations"],"dps"}`
/// with `dps` keyed by epoch seconds (or ms, or as `[[ts,v],…]` arrays), and an optional trailing
/// `{"statsSummary":…}`.
public struct QueryResultRenderer: Sendable {
    public let request: QueryRequest

    public init(request: QueryRequest) {
        self.request = request
    }

    /// The whole response body.
    public func render(_ results: [QueryResult], globalAnnotations: [Annotation] = [], elapsedMs: Double = 0) -> String {
        var out = "["
        for (index, result) in results.enumerated() {
            if index > 0 { out += "," }
            render(result, globalAnnotations: globalAnnotations, into: &out)
        }
        if request.showSummary {
            if !results.isEmpty { out += "," }
            let points = results.reduce(0) { $0 + $1.timestamps.count }
            let raw = results.reduce(0) { $0 + $1.rawPoints }
            out += "{\"statsSummary\":{\"datapoints\":\(points),\"rawDatapoints\":\(raw),\"queryCount\":\(request.queries.count)"
            out += ",\"processingPreWriteTime\":\(JavaNumber.double(elapsedMs))}}"
        }
        return out + "]"
    }

    func render(_ result: QueryResult, globalAnnotations: [Annotation], into out: inout String) {
        out += "{\"metric\":" + JSONText.quoted(result.metric) + ",\"tags\":{"
        out += result.tags.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }.joined(
            separator: ",")
        out += "},\"aggregateTags\":[" + result.aggregateTags.map(JSONText.quoted).joined(separator: ",") + "]"
        if request.showQuery, request.queries.indices.contains(result.queryIndex) {
            out += ",\"query\":" + Self.queryJSON(request.queries[result.queryIndex])
        }
        if request.showTSUIDs { out += ",\"tsuids\":[" + result.tsuids.map(JSONText.quoted).joined(separator: ",") + "]" }
        if !result.annotations.isEmpty {
            out += ",\"annotations\":[" + result.annotations.map(Self.annotationJSON).joined(separator: ",") + "]"
        }
        if !globalAnnotations.isEmpty {
            out += ",\"globalAnnotations\":[" + globalAnnotations.map(Self.annotationJSON).joined(separator: ",") + "]"
        }
        out += request.arrays ? ",\"dps\":[" : ",\"dps\":{"
        out += String(decoding: dps(result), as: UTF8.self)
        out += request.arrays ? "]}" : "}}"
    }

    /// The inside of `dps`, built as bytes: the hot part of a large response.
    func dps(_ result: QueryResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(result.timestamps.count * 24)
        var first = true
        for k in result.timestamps.indices {
            let t = result.timestamps[k]
            guard t >= request.startMs && t <= request.endMs else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let key = Double(request.msResolution ? t : t / 1000)
            if request.arrays {
                out.append(UInt8(ascii: "["))
                JavaNumber.appendLong(key, to: &out)
                out.append(UInt8(ascii: ","))
            } else {
                out.append(UInt8(ascii: "\""))
                JavaNumber.appendLong(key, to: &out)
                out.append(contentsOf: "\":".utf8)
            }
            let v = result.values[k]
            if v.isNaN && result.nanAsNull {
                out.append(contentsOf: "null".utf8)
            } else if result.integral[k] {
                JavaNumber.appendLong(v, to: &out)
            } else {
                JavaNumber.appendDouble(v, to: &out)
            }
            if request.arrays { out.append(UInt8(ascii: "]")) }
        }
        return out
    }

    static func annotationJSON(_ note: Annotation) -> String {
        var out = "{"
        if let tsuid = note.tsuid { out += "\"tsuid\":" + JSONText.quoted(tsuid) + "," }
        out += "\"description\":" + JSONText.quoted(note.description) + ",\"notes\":" + JSONText.quoted(note.notes)
        if !note.custom.isEmpty {
            out +=
                ",\"custom\":{"
                + note.custom.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
                .joined(separator: ",") + "}"
        }
        out += ",\"startTime\":\(note.startTime),\"endTime\":\(note.endTime ?? 0)}"
        return out
    }

    /// The sub-query as `showQuery` echoes it (OpenTSDB's `TSSubQuery` fields).
    static func queryJSON(_ query: SubQuery) -> String {
        var out = "{\"aggregator\":" + JSONText.quoted(query.aggregator.name) + ",\"metric\":" + JSONText.quoted(query.metric)
        out += ",\"tsuids\":" + (query.tsuids.isEmpty ? "null" : "[" + query.tsuids.map(JSONText.quoted).joined(separator: ",") + "]")
        out += ",\"downsample\":" + (query.downsample.map { JSONText.quoted($0.text) } ?? "null")
        out += ",\"rate\":\(query.rate),\"filters\":["
        out += query.filters.map { f in
            "{\"tagk\":" + JSONText.quoted(f.tagk) + ",\"filter\":" + JSONText.quoted(f.filter) + ",\"group_by\":\(f.groupBy),\"type\":"
                + JSONText.quoted(f.kind.rawValue) + "}"
        }.joined(separator: ",")
        out += "],\"index\":\(query.index),\"tags\":{"
        out += query.filters.filter(\.groupBy).map {
            JSONText.quoted($0.tagk) + ":" + JSONText.quoted($0.kind.rawValue + "(" + $0.filter + ")")
        }
        .joined(separator: ",")
        let options = query.rateOptions
        out +=
            "},\"rateOptions\":"
            + (query.rate
                ? "{\"counter\":\(options.counter),\"counterMax\":\(JavaNumber.long(options.counterMax)),\"resetValue\":\(JavaNumber.long(options.resetValue)),\"dropResets\":\(options.dropResets)}"
                : "null")
        out += ",\"explicitTags\":\(query.explicitTags)}"
        return out
    }
}
