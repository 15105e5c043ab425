import Foundation
import Testing

/// One ported acceptance case: the daemon it talks to, its service-name suffix, the trace ids it posted, and
/// the `assertGet…` helpers of Zipkin's `ITStorage` over HTTP.
///
/// Comparisons are canonical as ITStorage's: spans sorted by (traceId, id, shared, name, timestamp,
/// duration), traces as an unordered set, raw spans (Pharos does not merge fragments). A query without
/// `serviceName` also sees other cases' traces in a shared daemon, so its result is narrowed to the traces
/// this case posted before comparing; service-scoped queries are compared whole (suffixes keep them apart).
final class ZipkinCase {
    let daemon: DaemonProcess
    /// Lower-cased test name, at most 48 characters (upstream `testSuffix`).
    let suffix: String
    /// Trace ids as posted (normalised), to tell this case's traces from others in a shared daemon.
    private(set) var ownTraceIds: Set<String> = []
    /// `head`, `flushed` or `restarted`: which storage state the current checks run against.
    private(set) var phase = "head"

    /// Uses the suite's `SharedDaemon`, or starts a fresh daemon with `freshDaemon` flags (or when the suite
    /// has none).
    init(_ function: String = #function, freshDaemon arguments: [String]? = nil) throws {
        if arguments == nil, let shared = SharedDaemon.current {
            daemon = shared.daemon
        } else {
            daemon = try DaemonProcess(arguments: arguments ?? [])
        }
        let name = function.prefix { $0 != "(" }.lowercased()
        suffix = String(name.suffix(48))
    }

    var port: Int { daemon.httpPort }

    // MARK: Phases

    /// Runs `check` straight after posting (spans in the in-memory head), again after
    /// `POST /api/admin/flush` (spans sealed into partitions), and, with `restart`, after `kill -9` and a
    /// restart (spans recovered from disk). Failures name the phase.
    func inEveryPhase(restart: Bool = false, _ check: () throws -> Void) throws {
        phase = "head"
        try check()
        let flushed = try TestHTTP.request("POST", port: port, path: "/api/admin/flush")
        #expect(flushed.status == 200 && flushed.text.contains(#""flushed":true"#), "flush: \(flushed.status) \(flushed.text)")
        phase = "flushed"
        try check()
        if restart {
            daemon.kill9()
            try daemon.start()
            phase = "restarted"
            try check()
        }
        phase = "head"
    }

    // MARK: Ingest

    /// POSTs JSON v2 to `/api/v2/spans` in chunks of 100 (as `ITStorage.accept`), expecting 202 each time.
    func accept(_ spans: [ZipkinSpan], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for start in stride(from: 0, to: spans.count, by: 100) {
            let chunk = Array(spans[start..<min(spans.count, start + 100)])
            let result = try TestHTTP.post(port, "/api/v2/spans", json: ZipkinJSON.encode(chunk))
            #expect(result.status == 202, "POST /api/v2/spans: \(result.status) \(result.text)", sourceLocation: sourceLocation)
        }
        ownTraceIds.formUnion(spans.map(\.traceId))
    }

    func accept(_ spans: ZipkinSpan..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        try accept(spans, sourceLocation: sourceLocation)
    }

    /// Marks trace ids as this case's without posting (data posted another way, e.g. v1 or proto3).
    func own(_ traceIds: String...) { ownTraceIds.formUnion(traceIds.map(ZipkinSpan.normalizedTraceId)) }

    // MARK: Reads

    func getJSON(_ path: String) throws -> Any {
        let result = try TestHTTP.get(port, path)
        guard result.status == 200, let json = result.json else { throw TestFailure("GET \(path) [\(phase)]: \(result.status) \(result.text)") }
        return json
    }

    func getTraces(_ request: TracesQuery) throws -> [[ZipkinSpan]] {
        guard let traces = try getJSON("/api/v2/traces?" + request.queryString) as? [[Any]] else {
            throw TestFailure("\(request): not a list of traces")
        }
        return try traces.map { try $0.map(ZipkinJSON.span) }
    }

    /// `GET /api/v2/trace/{id}`: the spans, or `[]` on 404 (upstream `getTrace` answers an empty list).
    func getTrace(_ traceId: String) throws -> [ZipkinSpan] {
        let result = try TestHTTP.get(port, "/api/v2/trace/" + traceId)
        if result.status == 404 { return [] }
        guard result.status == 200, let spans = result.json as? [Any] else {
            throw TestFailure("GET /api/v2/trace/\(traceId) [\(phase)]: \(result.status) \(result.text)")
        }
        return try spans.map(ZipkinJSON.span)
    }

    func traceMany(_ traceIds: [String]) throws -> [[ZipkinSpan]] {
        guard let traces = try getJSON("/api/v2/traceMany?traceIds=" + traceIds.joined(separator: ",")) as? [[Any]] else {
            throw TestFailure("traceMany: not a list of traces")
        }
        return try traces.map { try $0.map(ZipkinJSON.span) }
    }

    func dependencies(endTs: Int64, lookback: Int64) throws -> [ZipkinLink] {
        guard let links = try getJSON("/api/v2/dependencies?endTs=\(endTs)&lookback=\(lookback)") as? [Any] else {
            throw TestFailure("dependencies: not a list")
        }
        return try links.map(ZipkinJSON.link)
    }

    // MARK: Expectations

    /// `assertGetTracesReturns` / `assertGetTracesReturnsEmpty`, with exact equality after narrowing.
    func expectTraces(_ request: TracesQuery, _ expected: [[ZipkinSpan]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var actual = try getTraces(request)
        if request.serviceName == nil { actual = actual.filter { $0.contains { ownTraceIds.contains($0.traceId) } } }
        let want = Self.canonical(expected)
        let got = Self.canonical(actual)
        #expect(got == want, "[\(phase)] \(request)\n got: \(Self.render(got))\nwant: \(Self.render(want))", sourceLocation: sourceLocation)
    }

    func expectNoTraces(_ request: TracesQuery, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectTraces(request, [], sourceLocation: sourceLocation)
    }

    /// `assertGetTraceReturns`: `/api/v2/trace/{id}` returns exactly these spans (`[]` means 404).
    func expectTrace(_ traceId: String, _ expected: [ZipkinSpan], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = Self.canonical(try getTrace(traceId))
        let want = Self.canonical(expected)
        #expect(got == want, "[\(phase)] /api/v2/trace/\(traceId)\n got: \(got)\nwant: \(want)", sourceLocation: sourceLocation)
    }

    /// `assertGetTracesReturns(List<String>, …)` over `/api/v2/traceMany`.
    func expectTraceMany(_ traceIds: [String], _ expected: [[ZipkinSpan]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = Self.canonical(try traceMany(traceIds))
        let want = Self.canonical(expected)
        #expect(got == want, "[\(phase)] traceMany \(traceIds)\n got: \(Self.render(got))\nwant: \(Self.render(want))", sourceLocation: sourceLocation)
    }

    /// `/api/v2/dependencies` returns exactly `expected` among links naming this case's services (the
    /// part after the first `_` is the suffix); no link anywhere may name an empty service.
    /// `GET path` answers exactly this list of strings (names, autocomplete keys or values).
    func expectStrings(_ path: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = try getJSON(path) as? [String]
        #expect(got == expected, "[\(phase)] \(path)", sourceLocation: sourceLocation)
    }

    /// `suffix` overrides the case's own, for sub-cases that each need their own services.
    func expectLinks(
        endTs: Int64, lookback: Int64, _ expected: [ZipkinLink], suffix: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let all = try dependencies(endTs: endTs, lookback: lookback)
        let own = suffix ?? self.suffix
        let mine = all.filter { Self.hasSuffix($0.parent, own) || Self.hasSuffix($0.child, own) }.sorted()
        #expect(
            mine == expected.sorted(), "[\(phase)] /api/v2/dependencies?endTs=\(endTs)&lookback=\(lookback)",
            sourceLocation: sourceLocation)
        #expect(!all.contains { $0.parent.isEmpty || $0.child.isEmpty }, "[\(phase)] a link names an empty service: \(all)")
    }

    /// Whether `name` is `<base>_<suffix>` (bases never contain `_`).
    static func hasSuffix(_ name: String, _ suffix: String) -> Bool {
        guard let underscore = name.firstIndex(of: "_") else { return false }
        return name[name.index(after: underscore)...] == suffix
    }

    // MARK: Canonical form

    /// ITStorage.sortTrace's order: traceId, id, shared last, name, timestamp, duration.
    static func canonical(_ trace: [ZipkinSpan]) -> [ZipkinSpan] {
        trace.sorted { l, r in
            if l.traceId != r.traceId { return l.traceId < r.traceId }
            if l.id != r.id { return l.id < r.id }
            if l.shared != r.shared { return !l.shared }
            if (l.name ?? "") != (r.name ?? "") { return (l.name ?? "") < (r.name ?? "") }
            if (l.timestamp ?? 0) != (r.timestamp ?? 0) { return (l.timestamp ?? 0) < (r.timestamp ?? 0) }
            return (l.duration ?? 0) < (r.duration ?? 0)
        }
    }

    static func canonical(_ traces: [[ZipkinSpan]]) -> [[ZipkinSpan]] {
        traces.map(canonical).sorted { ZipkinJSON.encode($0) < ZipkinJSON.encode($1) }
    }

    static func render(_ traces: [[ZipkinSpan]]) -> String {
        traces.isEmpty ? "[]" : traces.map { "\n  " + ZipkinJSON.encode($0) }.joined()
    }
}
