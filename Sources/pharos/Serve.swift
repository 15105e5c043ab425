import ArgumentParser
import Dispatch
import Foundation
import Logging
import PharosIngest
import PharosServer
import PharosStorage

/// `pharos serve`: runs the daemon until SIGINT or SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon.")

    @Option(help: "Address to bind (env PHAROS_HOST).")
    var host: String = env("PHAROS_HOST") ?? "0.0.0.0"
    @Option(help: "HTTP port: Zipkin API, native API, /metrics, /health (env PHAROS_HTTP_PORT; 0 picks a free port).")
    var httpPort: Int = env("PHAROS_HTTP_PORT").flatMap(Int.init) ?? 9411
    @Option(help: "OpenTSDB port: telnet put lines and HTTP on one port (env PHAROS_OPENTSDB_PORT).")
    var opentsdbPort: Int = env("PHAROS_OPENTSDB_PORT").flatMap(Int.init) ?? 4242
    @Option(help: "Data directory (env PHAROS_DATA_DIR).")
    var dataDir: String = env("PHAROS_DATA_DIR") ?? "./Storage"
    @Option(help: "WAL durability: always, interval or never (env PHAROS_FSYNC).")
    var fsync: String = env("PHAROS_FSYNC") ?? "interval"
    @Option(help: "Milliseconds between WAL syncs with --fsync interval (env PHAROS_FSYNC_INTERVAL_MS).")
    var fsyncIntervalMs: Int = env("PHAROS_FSYNC_INTERVAL_MS").flatMap(Int.init) ?? 1000
    @Option(help: "Delete partitions older than this, e.g. 30d or 12h; empty keeps everything (env PHAROS_RETENTION).")
    var retention: String = env("PHAROS_RETENTION") ?? ""
    @Option(help: "Out-of-order window, e.g. 1h (env PHAROS_OUT_OF_ORDER_WINDOW).")
    var outOfOrderWindow: String = env("PHAROS_OUT_OF_ORDER_WINDOW") ?? "1h"
    @Option(help: "Tags allowed per point (OpenTSDB's tsd.storage.max_tags; env PHAROS_MAX_TAGS).")
    var maxTags: Int = env("PHAROS_MAX_TAGS").flatMap(Int.init) ?? 8
    @Option(help: "Maximum HTTP request body in bytes (env PHAROS_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = env("PHAROS_MAX_BODY_BYTES").flatMap(Int.init) ?? (32 << 20)
    @Option(help: "Maximum body size after gzip inflation (env PHAROS_MAX_INFLATED_BYTES).")
    var maxInflatedBytes: Int = env("PHAROS_MAX_INFLATED_BYTES").flatMap(Int.init) ?? (128 << 20)
    @Option(help: "Zipkin STRICT_TRACE_ID: match 128-bit trace ids on all bits (env PHAROS_STRICT_TRACE_ID).")
    var strictTraceId: Bool = env("PHAROS_STRICT_TRACE_ID").map { $0 != "false" } ?? true
    @Option(help: "Zipkin AUTOCOMPLETE_KEYS: comma-separated tag keys offered by autocomplete (env PHAROS_AUTOCOMPLETE_KEYS).")
    var autocompleteKeys: String = env("PHAROS_AUTOCOMPLETE_KEYS") ?? ""
    @Option(help: "Zipkin SEARCH_ENABLED: false answers trace search and names with [] (env PHAROS_SEARCH_ENABLED).")
    var searchEnabled: Bool = env("PHAROS_SEARCH_ENABLED").map { $0 != "false" } ?? true
    @Option(help: "Delete span partitions older than this, e.g. 7d; empty keeps everything (env PHAROS_SPAN_RETENTION).")
    var spanRetention: String = env("PHAROS_SPAN_RETENTION") ?? "7d"
    @Option(help: "Seal the span head into a partition at this many spans (env PHAROS_SPAN_HEAD_MAX).")
    var spanHeadMax: Int = env("PHAROS_SPAN_HEAD_MAX").flatMap(Int.init) ?? 50_000
    @Option(help: "Zipkin QUERY_LOOKBACK: default lookback of trace search, e.g. 1d (env PHAROS_QUERY_LOOKBACK).")
    var queryLookback: String = env("PHAROS_QUERY_LOOKBACK") ?? "1d"
    @Option(help: "Event loop threads; 0 = one per core (env PHAROS_THREADS).")
    var threads: Int = env("PHAROS_THREADS").flatMap(Int.init) ?? 0
    @Option(help: "After binding, write `http=PORT opentsdb=PORT` to this file (for scripts and tests using port 0).")
    var readyFile: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env PHAROS_LOG_LEVEL).")
    var logLevel: String = env("PHAROS_LOG_LEVEL") ?? "info"

    func run() throws {
        var logger = Logger(label: "pharos")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var options = ServerOptions(dataDirectory: dataDir)
        options.host = host
        options.httpPort = httpPort
        options.openTSDBPort = opentsdbPort
        options.threads = threads
        options.strictTraceId = strictTraceId
        options.queryLookbackMs = try DurationText.milliseconds(queryLookback)
        options.spans.autocompleteKeys = autocompleteKeys.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        options.searchEnabled = searchEnabled
        options.spans.retentionMs = spanRetention.isEmpty ? nil : try DurationText.milliseconds(spanRetention)
        guard spanHeadMax > 0 else { throw ValidationError("--span-head-max must be positive") }
        options.spans.headMaxSpans = spanHeadMax
        guard let mode = FsyncMode(rawValue: fsync) else { throw ValidationError("--fsync must be always, interval or never") }
        options.storage.fsync = mode
        options.storage.fsyncIntervalMs = fsyncIntervalMs
        options.storage.outOfOrderWindowMs = try DurationText.milliseconds(outOfOrderWindow)
        options.storage.retentionMs = retention.isEmpty ? nil : try DurationText.milliseconds(retention)
        options.putLimits.maxTags = maxTags
        options.httpLimits.maxBodyBytes = maxBodyBytes
        options.httpLimits.maxInflatedBytes = maxInflatedBytes

        let daemon = try PharosDaemon(options: options, logger: logger)
        let ports = try daemon.start()
        if let readyFile {
            let text = "http=\(ports.http) opentsdb=\(ports.openTSDB)\n"
            try text.write(toFile: readyFile + ".tmp", atomically: false, encoding: .utf8)
            try FileManager.default.moveItem(atPath: readyFile + ".tmp", toPath: readyFile)
        }
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        logger.info("shutting down")
        daemon.shutdown()
        _ = sources
    }
}

func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

/// `30d`, `12h`, `90m`, `45s`, `500ms` → milliseconds.
enum DurationText {
    static func milliseconds(_ text: String) throws -> Int64 {
        let digits = text.prefix { $0.isNumber }
        let invalid = ValidationError("'\(text)' is not a duration like 30d, 12h or 90m")
        guard let count = Int64(digits), count >= 0 else { throw invalid }
        let unitMs: Int64
        switch text.dropFirst(digits.count) {
        case "ms": unitMs = 1
        case "s": unitMs = 1000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 7 * 86_400_000
        default: throw invalid
        }
        let (ms, overflow) = count.multipliedReportingOverflow(by: unitMs)
        guard !overflow else { throw ValidationError("'\(text)' is too long a duration") }
        return ms
    }
}
