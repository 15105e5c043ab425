import ArgumentParser
import Foundation

/// `tracegen query`: latency of the Zipkin read API on a loaded dataset, one request at a time on one
/// keep-alive connection, so each number is the server's answer time for that query alone.
///
/// Asks three kinds of question from the sidecar: a trace by id (sampled ids, so each must be found),
/// a search by service and minimum duration (`limit=10`), and the dependency graph over a day. `endTs`
/// is the dataset's last timestamp, so a reused dataset of any age is still in the window.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Time trace-by-id, trace search and dependency queries (p50/p99/max).")

    @Option(help: "Base URL of the query API.")
    var url = "http://127.0.0.1:9411"
    @Option(help: "Sidecar written by `tracegen generate` (repeat for several datasets).")
    var sidecar: [String]
    @Option(help: "Timed requests per query kind.")
    var requests = 200
    @Option(help: "Timed dependency requests (they read everything in the window; default: --requests).")
    var dependencyRequests: Int?
    @Option(help: "Untimed requests per kind first, to warm caches.")
    var warmup = 3
    @Option(help: "Stop a query kind after this many seconds (a bound on the run).")
    var maxSeconds = 120.0
    @Option(help: "Seconds to wait for one reply.")
    var timeout = 60

    func run() throws {
        let cars = try sidecar.map(Sidecar.load)
        let traceIds = cars.flatMap(\.traceIds)
        let searches = cars.flatMap(\.durationQueries)
        guard !traceIds.isEmpty, !searches.isEmpty else { throw ToolError("the sidecar has no sampled traces") }
        let endTsMs = (cars.map(\.lastTimestampUs).max() ?? 0) / 1000 + 1000
        let connection = HTTPConnection(endpoint: try HTTPEndpoint(url: url), timeoutSeconds: timeout)
        var rows: [QueryTiming] = []
        rows.append(
            time("trace by id", count: requests, connection) { i in
                ("/api/v2/trace/\(traceIds[i % traceIds.count])", { reply in reply.status == 200 && reply.bodyLength > 2 })
            })
        rows.append(
            time("traces search", count: requests, connection) { i in
                let q = searches[i % searches.count]
                let service = q.serviceName.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? q.serviceName
                return (
                    "/api/v2/traces?serviceName=\(service)&minDuration=\(max(1, q.minDurationUs))&endTs=\(endTsMs)&limit=10",
                    { reply in reply.status == 200 && reply.bodyLength > 2 }
                )
            })
        rows.append(
            time("dependencies", count: dependencyRequests ?? requests, connection) { _ in
                ("/api/v2/dependencies?endTs=\(endTsMs)&lookback=86400000", { reply in reply.status == 200 })
            })
        print(QueryTiming.table(rows))
        for row in rows {
            print(
                "RESULT query kind=\(row.key) requests=\(row.requests) ok=\(row.ok) failed=\(row.failed) "
                    + String(
                        format: "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_bytes=%.0f", row.latency.p50Ms, row.latency.p99Ms,
                        row.latency.maxMs, row.meanBytes))
        }
        for row in rows where !row.firstFailure.isEmpty { StandardError.print("query: \(row.name): \(row.firstFailure)") }
    }

    /// Runs `count` requests of one kind after the warm-up; `request(i)` gives the path and the check of its reply.
    private func time(
        _ name: String, count: Int, _ connection: HTTPConnection,
        _ request: (Int) -> (String, (HTTPConnection.Reply) -> Bool)
    ) -> QueryTiming {
        var timing = QueryTiming(name: name)
        for i in 0..<warmup { _ = try? connection.get(request(i).0) }
        let stop = DispatchTime.now().uptimeNanoseconds + UInt64(maxSeconds * 1e9)
        var latencies: [UInt64] = []
        for i in 0..<count where DispatchTime.now().uptimeNanoseconds < stop {
            let (path, check) = request(i + warmup)
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let reply = try connection.get(path, keepBody: true)
                latencies.append(DispatchTime.now().uptimeNanoseconds - started)
                timing.bytes += reply.bodyLength
                if check(reply) {
                    timing.ok += 1
                } else {
                    timing.failed += 1
                    if timing.firstFailure.isEmpty {
                        timing.firstFailure = "\(path) → HTTP \(reply.status): \(String(decoding: reply.body.prefix(200), as: UTF8.self))"
                    }
                }
            } catch {
                timing.failed += 1
                if timing.firstFailure.isEmpty { timing.firstFailure = "\(path) → \(error)" }
            }
        }
        timing.latency = LatencySummary(nanoseconds: latencies)
        return timing
    }
}

/// The outcome of one query kind.
struct QueryTiming {
    let name: String
    var ok = 0
    var failed = 0
    var bytes = 0
    var latency = LatencySummary(nanoseconds: [])
    var firstFailure = ""

    var requests: Int { ok + failed }
    var meanBytes: Double { requests == 0 ? 0 : Double(bytes) / Double(requests) }
    /// The name as one word, for `RESULT` lines.
    var key: String { name.replacingOccurrences(of: " ", with: "_") }

    /// An aligned text table of `rows`.
    static func table(_ rows: [QueryTiming]) -> String {
        var lines = ["query            requests  ok    failed  p50 ms    p99 ms    max ms    mean bytes"]
        for r in rows {
            lines.append(
                r.name.padding(toLength: 17, withPad: " ", startingAt: 0)
                    + String(
                        format: "%-10d%-6d%-8d%-10.2f%-10.2f%-10.2f%.0f", r.requests, r.ok, r.failed, r.latency.p50Ms,
                        r.latency.p99Ms, r.latency.maxMs, r.meanBytes))
        }
        return lines.joined(separator: "\n")
    }
}
