import ArgumentParser
import Foundation
import Synchronization

/// `tracegen ingest`: posts a body file to a Zipkin collector over keep-alive connections, one thread per
/// client, and reports spans/s, requests/s, errors and latency.
///
/// Clients take the next body from a shared counter, so the bodies reach the server roughly in file order
/// (time order) whatever the client count. Every answer must be 202; anything else counts as an error and
/// the first few are printed. The client's own CPU time is reported so a reader can check it stayed small
/// next to the server's.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "POST a body file to /api/v2/spans with several keep-alive clients.")

    @Option(help: "Base URL of the collector.")
    var url = "http://127.0.0.1:9411"
    @Option(help: "Body file written by `tracegen generate`.")
    var file: String
    @Option(help: "Concurrent connections, one thread each.")
    var clients = 4
    @Option(help: "Request path.")
    var path = "/api/v2/spans"
    @Option(help: "Send at most this many bodies (0: all).")
    var limit = 0
    @Option(help: "Stop sending after this many seconds (a bound on the run).")
    var maxSeconds = 3600.0
    @Option(help: "Seconds to wait for one reply before counting the connection as failed.")
    var timeout = 60

    func run() throws {
        let endpoint = try HTTPEndpoint(url: url)
        let bodies = try BodyFile(path: file)
        let total = limit > 0 ? min(limit, bodies.bodies.count) : bodies.bodies.count
        let run = IngestRun(bodies: bodies, total: total, deadline: DispatchTime.now().uptimeNanoseconds + UInt64(maxSeconds * 1e9))
        let cpuBefore = processCPUSeconds()
        let started = DispatchTime.now().uptimeNanoseconds
        let group = DispatchGroup()
        for _ in 0..<max(1, clients) {
            group.enter()
            let thread = Thread { [path, timeout] in
                run.client(endpoint: endpoint, path: path, timeoutSeconds: timeout)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        while group.wait(timeout: .now() + 1) == .timedOut {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let spans = run.spansDone.load(ordering: .relaxed)
            StandardError.progress(
                String(
                    format: "ingest: %d / %d requests, %.0f spans/s", run.requestsDone.load(ordering: .relaxed),
                    total, Double(spans) / seconds))
        }
        StandardError.progress("")
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let result = run.result()
        let cpu = processCPUSeconds() - cpuBefore
        for message in result.firstErrors { StandardError.print("ingest: error: \(message)") }
        let latency = LatencySummary(nanoseconds: result.latencies)
        let name = bodies.format == .json ? "json" : "proto"
        print(
            "ingest \(name): "
                + String(
                    format: "%d requests, %d spans in %.2f s: %.0f spans/s, %.0f requests/s, %d errors; "
                        + "latency p50 %.2f ms p99 %.2f ms max %.2f ms; client CPU %.2f s",
                    result.requests, result.spans, seconds, Double(result.spans) / seconds, Double(result.requests) / seconds,
                    result.errors, latency.p50Ms, latency.p99Ms, latency.maxMs, cpu))
        print(
            "RESULT ingest format=\(name) requests=\(result.requests) spans=\(result.spans) "
                + "errors=\(result.errors) "
                + String(
                    format: "seconds=%.3f spans_per_s=%.0f requests_per_s=%.1f p50_ms=%.3f p99_ms=%.3f "
                        + "client_cpu_s=%.2f", seconds, Double(result.spans) / seconds,
                    Double(result.requests) / seconds, latency.p50Ms, latency.p99Ms, cpu))
        if result.errors > 0 { throw ExitCode(2) }
    }
}

/// User plus system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
