public import Foundation
import PharosCore
import PharosStorage

/// `/api/query/last` (OpenTSDB 2.1): the most recent point of each matching series.
///
/// Series come from `metric{k=v,…}` specs (literal or v1 filter shorthand) or TSUIDs. `backScanHours`
/// bounds how far back to look (0 = all history, where OpenTSDB would consult its meta counters);
/// `resolveNames` adds `metric` and `tags` to each answer.
public struct LastPointQuery: Sendable {
    public var specs: [(metric: String, filters: [TagFilter])]
    public var tsuids: [String]
    public var backScanHours: Int64
    public var resolveNames: Bool

    /// GET parameters: repeated `timeseries=m{k=v}`, `tsuids=a,b`, `back_scan`, `resolve`.
    public init(parameters: [(String, String)]) throws(QueryError) {
        specs = []
        tsuids = []
        for (name, value) in parameters {
            if name == "timeseries" { specs.append(try Self.spec(value)) }
            if name == "tsuids" { tsuids += value.split(separator: ",").map(String.init) }
        }
        let back = parameters.last { $0.0 == "back_scan" }?.1
        guard back.map({ Int64($0) != nil }) ?? true else { throw QueryError("Unable to parse back_scan: \(back ?? "")") }
        backScanHours = back.flatMap { Int64($0) } ?? 0
        resolveNames = parameters.contains { $0.0 == "resolve" && $0.1 != "false" }
        guard !specs.isEmpty || !tsuids.isEmpty else { throw QueryError("Missing sub queries") }
    }

    /// A POST body: `{"queries":[{"metric":…,"tags":{…}} | {"tsuids":[…]}],"resolveNames":…,"backScan":…}`.
    public init(json data: Data) throws(QueryError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw QueryError("Unable to parse the given JSON")
        }
        specs = []
        tsuids = []
        for item in (object["queries"] as? [[String: Any]]) ?? [] {
            if let list = item["tsuids"] as? [String] { tsuids += list }
            if let metric = item["metric"] as? String {
                var filters: [TagFilter] = []
                for (key, value) in (item["tags"] as? [String: String] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    filters.append(try TagFilter(tagk: key, shorthand: value, groupBy: true))
                }
                specs.append((metric, filters))
            }
        }
        backScanHours = (object["backScan"] as? NSNumber)?.int64Value ?? 0
        resolveNames = (object["resolveNames"] as? Bool) ?? false
        guard !specs.isEmpty || !tsuids.isEmpty else { throw QueryError("Missing sub queries") }
    }

    static func spec(_ text: String) throws(QueryError) -> (metric: String, filters: [TagFilter]) {
        guard let brace = text.firstIndex(of: "{") else { return (text, []) }
        guard text.hasSuffix("}") else { throw QueryError("Invalid timeseries: \(text)") }
        let inner = text[text.index(after: brace)..<text.index(before: text.endIndex)]
        return (String(text[..<brace]), try TagFilter.parseBraces(inner, groupBy: true))
    }

    /// The JSON answer, newest point of each series, relative to `nowMs`.
    public func run(source: any MetricSource, nowMs: Int64) throws(QueryError) -> String {
        var refs: [(SeriesRef, SeriesKey)] = []
        for spec in specs {
            let all = source.series(metric: spec.metric)
            guard !all.isEmpty else { throw QueryError.noSuchMetric(spec.metric) }
            refs += all.filter { _, key in spec.filters.allSatisfy { $0.matches(key.tagValue($0.tagk)) } }
        }
        for tsuid in tsuids {
            guard let ref = SeriesRef(tsuid: tsuid.uppercased()), let key = source.key(of: ref) else {
                throw QueryError("No such name for 'tsuids': '\(tsuid)'")
            }
            refs.append((ref, key))
        }
        let startMs = backScanHours > 0 ? nowMs - backScanHours * 3_600_000 : 0
        var buffer = PointSeries()
        var entries: [String] = []
        for (ref, key) in refs {
            do { try source.read(ref, startMs: startMs, endMs: Int64.max, into: &buffer) } catch {
                throw QueryError("Unable to read series \(ref.tsuid): \(error)", code: 500)
            }
            guard let t = buffer.timestamps.last, let v = buffer.values.last else { continue }
            let value =
                ProcessedSeries.allIntegral([v]) ? JavaNumber.long(v) : JavaNumber.double(v).replacingOccurrences(of: "\"", with: "")
            var entry = "{\"timestamp\":\(t),\"value\":" + JSONText.quoted(value) + ",\"tsuid\":" + JSONText.quoted(ref.tsuid)
            if resolveNames {
                entry += ",\"metric\":" + JSONText.quoted(key.metric) + ",\"tags\":{"
                entry += key.tags.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }.joined(separator: ",") + "}"
            }
            entries.append(entry + "}")
        }
        return "[" + entries.joined(separator: ",") + "]"
    }
}
