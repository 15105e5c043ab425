import Foundation

enum TestQuery {
    /// The `dps` of each result series of a POST /api/query, keyed by timestamp in seconds.
    static func dps(
        port: Int, metric: String, start: Int64, end: Int64, aggregator: String = "sum", downsample: String? = nil,
        tags: [String: String] = [:]
    ) throws -> [[String: Double]] {
        var query: [String: Any] = ["aggregator": aggregator, "metric": metric, "tags": tags]
        if let downsample { query["downsample"] = downsample }
        let body = try JSONSerialization.data(withJSONObject: ["start": start, "end": end, "queries": [query]])
        let result = try TestHTTP.post(port, "/api/query", json: String(decoding: body, as: UTF8.self))
        guard result.status == 200, let series = result.json as? [[String: Any]] else {
            throw TestFailure("query failed: \(result.status) \(result.text)")
        }
        return series.map { entry in
            let dps = entry["dps"] as? [String: Any] ?? [:]
            return dps.mapValues { ($0 as? NSNumber)?.doubleValue ?? .nan }
        }
    }

    /// Total points of `metric` in the range (OpenTSDB `sum` of `0all-count`), as the benchmark counts.
    static func count(port: Int, metric: String, start: Int64, end: Int64) throws -> Int {
        try dps(port: port, metric: metric, start: start, end: end, downsample: "0all-count").reduce(0) { $0 + Int($1.values.reduce(0, +)) }
    }
}
