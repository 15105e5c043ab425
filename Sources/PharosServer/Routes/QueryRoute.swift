import Foundation
import NIOCore
import NIOHTTP1
import PharosIngest
import PharosQuery
import PharosCore

/// `POST /api/query` (JSON body) and `GET /api/query?start=…&m=…`, rendered as OpenTSDB renders results.
/// Runs the engine off the event loop, on the given thread pool.
struct QueryRoute: Sendable {
    let engine: QueryEngine
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    func handle(_ request: HTTPRequest, _ sink: ResponseSink) {
        let parsed: (Int64, Int64, [MetricQuery])
        do {
            parsed = try request.method == .GET ? Self.parseGET(request) : Self.parsePOST(request)
        } catch {
            return sink(.json(.badRequest, bytes: OpenTSDBResponses.error(code: 400, message: "\(error)")))
        }
        offload {
            do {
                var out = "["
                var first = true
                for query in parsed.2 {
                    for result in try engine.run(query, startMs: parsed.0, endMs: parsed.1) {
                        if !first { out += "," }
                        first = false
                        Self.render(result, into: &out)
                    }
                }
                sink(.json(.ok, out + "]"))
            } catch {
                sink(.json(.badRequest, bytes: OpenTSDBResponses.error(code: 400, message: "\(error)")))
            }
        }
    }

    static func render(_ result: QueryResult, into out: inout String) {
        out += "{\"metric\":" + OpenTSDBResponses.jsonString(result.metric) + ",\"tags\":{"
        out += result.tags.sorted { $0.key < $1.key }.map { OpenTSDBResponses.jsonString($0.key) + ":" + OpenTSDBResponses.jsonString($0.value) }
            .joined(separator: ",")
        out += "},\"aggregateTags\":[" + result.aggregateTags.map(OpenTSDBResponses.jsonString).joined(separator: ",") + "],\"dps\":{"
        for i in result.timestamps.indices {
            if i > 0 { out += "," }
            out += "\"\(result.timestamps[i] / 1000)\":" + JSONNumber.render(result.values[i])
        }
        out += "}}"
    }

    static func parsePOST(_ request: HTTPRequest) throws -> (Int64, Int64, [MetricQuery]) {
        let data = Data(request.body.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw QueryError("Unable to parse the given JSON")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard let startValue = object["start"] else { throw QueryError("Missing start time") }
        let start = try TimeSpec.parse(startValue, now: now)
        let end = try object["end"].map { try TimeSpec.parse($0, now: now) } ?? now
        guard let list = object["queries"] as? [[String: Any]], !list.isEmpty else { throw QueryError("Missing queries") }
        let queries = try list.map { item -> MetricQuery in
            guard let metric = item["metric"] as? String else { throw QueryError("Missing the metric") }
            guard let name = item["aggregator"] as? String, let aggregator = Aggregator(rawValue: name) else {
                throw QueryError("No such aggregator: \(item["aggregator"] ?? "")")
            }
            let downsample = try (item["downsample"] as? String).map { (text) throws(QueryError) in try Downsample(parsing: text) }
            let tags = (item["tags"] as? [String: String]) ?? [:]
            return MetricQuery(metric: metric, aggregator: aggregator, downsample: downsample, tags: tags)
        }
        return (start, end, queries)
    }

    /// `m=<aggregator>:[<downsample>:]<metric>[{tag=value,…}]`
    static func parseGET(_ request: HTTPRequest) throws -> (Int64, Int64, [MetricQuery]) {
        let query = request.query
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        guard let startText = query["start"] else { throw QueryError("Missing start time") }
        let start = try TimeSpec.parse(startText, now: now)
        let end = try query["end"].map { try TimeSpec.parse($0, now: now) } ?? now
        let specs = request.queryValues("m")
        guard !specs.isEmpty else { throw QueryError("Missing sub queries") }
        let queries = try specs.map { spec -> MetricQuery in
            var text = Substring(spec)
            var tags: [String: String] = [:]
            if let brace = text.firstIndex(of: "{"), text.last == "}" {
                for pair in text[text.index(after: brace)..<text.index(before: text.endIndex)].split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw QueryError("Invalid tag filter '\(pair)'") }
                    tags[String(kv[0])] = String(kv[1])
                }
                text = text[..<brace]
            }
            let parts = text.split(separator: ":")
            guard parts.count >= 2, let aggregator = Aggregator(rawValue: String(parts[0])) else {
                throw QueryError("No such aggregator in '\(spec)'")
            }
            let downsample = parts.count >= 3 ? try Downsample(parsing: String(parts[1])) : nil
            return MetricQuery(metric: String(parts.last!), aggregator: aggregator, downsample: downsample, tags: tags)
        }
        return (start, end, queries)
    }
}

/// OpenTSDB's time forms: seconds, milliseconds, `<N><unit>-ago`.
enum TimeSpec {
    static func parse(_ value: Any, now: Int64) throws -> Int64 {
        if let number = value as? NSNumber { return normalise(number.int64Value) }
        guard let text = value as? String else { throw QueryError("Invalid time '\(value)'") }
        if text.hasSuffix("-ago") {
            return now - (try Downsample.durationMs(String(text.dropLast(4))))
        }
        guard let number = Int64(text.replacingOccurrences(of: ".", with: "")) else { throw QueryError("Invalid time '\(text)'") }
        return normalise(number)
    }

    /// Values up to 10 digits are seconds, longer ones milliseconds, as OpenTSDB reads them.
    static func normalise(_ value: Int64) -> Int64 {
        value > 9_999_999_999 ? value : value * 1000
    }
}
