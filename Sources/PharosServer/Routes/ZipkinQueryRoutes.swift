import Foundation
import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// Zipkin's v2 query API over the span store: names, traces, search, dependencies and autocomplete.
///
/// Handlers parse on the event loop and read the store on the thread pool (`offload`): a read may touch
/// SQLite and partition files. With `searchEnabled` false (zipkin-server's `SEARCH_ENABLED=false`) the search
/// and name endpoints answer empty lists while trace-by-id and dependencies keep working.
struct ZipkinQueryRoutes: Sendable {
    let spans: SpanStore
    let strictTraceId: Bool
    let searchEnabled: Bool
    /// The configured autocomplete keys, in the order given.
    let keys: [String]
    /// zipkin-server's `QUERY_LOOKBACK`: the default `lookback` of `/api/v2/traces` and `/api/v2/dependencies`.
    let queryLookbackMs: Int64
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    func services(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard searchEnabled else { return sink(.json(.ok, "[]")) }
        offload { [spans] in sink(Self.names(spans.serviceNames)) }
    }

    func spanNames(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let service = request.query["serviceName"], !service.isEmpty else {
            return sink(.text(.badRequest, "serviceName is required\n"))
        }
        guard searchEnabled else { return sink(.json(.ok, "[]")) }
        offload { [spans] in sink(Self.names(spans.spanNames(service: service.lowercased()), cache: spans.serviceNames.count > 3)) }
    }

    func remoteServices(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let service = request.query["serviceName"], !service.isEmpty else {
            return sink(.text(.badRequest, "serviceName is required\n"))
        }
        guard searchEnabled else { return sink(.json(.ok, "[]")) }
        offload { [spans] in
            sink(Self.names(spans.remoteServiceNames(service: service.lowercased()), cache: spans.serviceNames.count > 3))
        }
    }

    /// `GET /api/v2/trace/{traceId}`: 1–32 lower-hex characters; 404 when no span of it is stored.
    func trace(_ request: HTTPRequest, _ sink: ResponseSink) {
        let hex = HTTPRequest.percentDecode(request.path.dropFirst("/api/v2/trace/".count)).trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard let (high, low) = Self.traceID(hex) else { return sink(.text(.badRequest, Self.malformed(hex))) }
        let strict = strictTraceId
        offload { [spans] in
            let found = spans.trace(high: high, low: low, strict: strict)
            guard !found.isEmpty else { return sink(.text(.notFound, "\(hex) not found\n")) }
            var out: [UInt8] = []
            ZipkinJSONV2Encoder.encode(found, into: &out)
            sink(.json(.ok, bytes: out))
        }
    }

    /// `GET /api/v2/traces`: Zipkin's search (`QueryRequest`): names lower-cased, empty means absent,
    /// `spanName=all` means absent; `endTs` and `lookback` in ms, durations in µs; newest traces first.
    func traces(_ request: HTTPRequest, _ sink: ResponseSink) {
        let q = request.query
        let endTs = min(q["endTs"].flatMap { Int64($0) } ?? Int64(Date().timeIntervalSince1970 * 1000), Self.maxMillis)
        let lookback = min(q["lookback"].flatMap { Int64($0) } ?? queryLookbackMs, Self.maxMillis)
        let limit = q["limit"].flatMap { Int($0) } ?? 10
        let minDuration = q["minDuration"].flatMap { Int64($0) }
        let maxDuration = q["maxDuration"].flatMap { Int64($0) }
        let problem: String? =
            if endTs <= 0 { "endTs <= 0" } else if lookback <= 0 { "lookback <= 0" } else if limit <= 0 {
                "limit <= 0"
            } else if let minDuration, minDuration <= 0 { "minDuration <= 0" } else if maxDuration != nil && minDuration == nil {
                "maxDuration is only valid with minDuration"
            } else if let maxDuration, let minDuration, maxDuration < minDuration { "maxDuration < minDuration" } else { nil }
        if let problem { return sink(.text(.badRequest, problem + "\n")) }
        var query = TraceQuery(endTsUs: endTs * 1000, lookbackUs: lookback * 1000, limit: limit)
        func name(_ key: String) -> String? { q[key].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 } }
        query.serviceName = name("serviceName")
        query.remoteServiceName = name("remoteServiceName")
        query.spanName = name("spanName").flatMap { $0 == "all" ? nil : $0 }
        query.minDurationUs = minDuration
        query.maxDurationUs = maxDuration
        if let annotationQuery = q["annotationQuery"], !annotationQuery.isEmpty { query.parseAnnotationQuery(annotationQuery) }
        guard searchEnabled else { return sink(.json(.ok, "[]")) }
        offload { [spans, strictTraceId, query] in
            var out: [UInt8] = [UInt8(ascii: "[")]
            for (index, trace) in spans.traces(matching: query, strict: strictTraceId).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                ZipkinJSONV2Encoder.encode(trace, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            sink(.json(.ok, bytes: out))
        }
    }

    /// `GET /api/v2/traceMany?traceIds=a,b`: the traces found, each a list of spans; unknown ids are skipped.
    func traceMany(_ request: HTTPRequest, _ sink: ResponseSink) {
        let ids = (request.query["traceIds"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !ids.isEmpty else { return sink(.text(.badRequest, "traceIds parameter is empty\n")) }
        guard ids.count > 1 else {
            return sink(.text(.badRequest, "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace\n"))
        }
        // One answer per trace: by the full id when strict, else by the lower 64 bits (either width finds it).
        var parsed: [(high: UInt64, low: UInt64, strict: Bool)] = []
        var asked: Set<[UInt64]> = []
        for hex in ids {
            guard let (high, low) = Self.traceID(hex) else { return sink(.text(.badRequest, Self.malformed(hex))) }
            if asked.insert([strictTraceId ? high : 0, low]).inserted { parsed.append((high, low, strictTraceId)) }
        }
        offload { [spans, parsed] in
            var out: [UInt8] = [UInt8(ascii: "[")]
            var first = true
            for id in parsed {
                let found = spans.trace(high: id.high, low: id.low, strict: id.strict)
                guard !found.isEmpty else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                ZipkinJSONV2Encoder.encode(found, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            sink(.json(.ok, bytes: out))
        }
    }

    /// `GET /api/v2/autocompleteKeys`: the configured `--autocomplete-keys`.
    func autocompleteKeys(_ request: HTTPRequest, _ sink: ResponseSink) {
        var response = HTTPResponse.json(.ok, Self.stringArray(keys))
        response.headers.add(name: "Cache-Control", value: Self.namesCacheControl)
        sink(response)
    }

    /// `GET /api/v2/autocompleteValues?key=k`: values seen for a configured key.
    func autocompleteValues(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let key = request.query["key"], !key.isEmpty else { return sink(.text(.badRequest, "key is required\n")) }
        guard searchEnabled else { return sink(.json(.ok, "[]")) }
        offload { [spans] in sink(Self.names(spans.autocompleteValues(key: key))) }
    }

    static func traceID(_ hex: String) -> (UInt64, UInt64)? {
        guard (1...32).contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
        let low = UInt64(hex.suffix(16), radix: 16)
        let high = hex.count > 16 ? UInt64(hex.dropLast(16), radix: 16) : 0
        guard let low, let high else { return nil }
        return (high, low)
    }

    /// zipkin-server lets clients cache name lists for 5 minutes once there are more than 3 services (or
    /// autocomplete values): a new deployment with few services should see new names at once.
    static let namesCacheControl = "max-age=300, must-revalidate"

    static func names(_ names: [String], cache: Bool? = nil) -> HTTPResponse {
        var response = HTTPResponse.json(.ok, stringArray(names))
        if cache ?? (names.count > 3) { response.headers.add(name: "Cache-Control", value: namesCacheControl) }
        return response
    }

    /// `endTs` and `lookback` beyond this (about year 73 000) are clamped to it, so that converting them to
    /// microseconds and minute bounds can never overflow.
    static let maxMillis = Int64.max / 4000

    static func malformed(_ hex: String) -> String { "\(hex) should be lower-hex encoded with no prefix\n" }

    static func stringArray(_ names: [String]) -> String {
        "[" + names.map(OpenTSDBResponses.jsonString).joined(separator: ",") + "]"
    }

    /// `GET /api/v2/dependencies?endTs=&lookback=`: the service graph of the traces in the window (ms).
    func dependencies(_ request: HTTPRequest, _ sink: ResponseSink) {
        let q = request.query
        guard let endText = q["endTs"] else { return sink(.text(.badRequest, "endTs is required\n")) }
        guard let endTs = Int64(endText).map({ min($0, Self.maxMillis) }) else {
            return sink(.text(.badRequest, "endTs should be a number of milliseconds\n"))
        }
        let lookback = min(q["lookback"].flatMap { Int64($0) } ?? queryLookbackMs, Self.maxMillis)
        if endTs <= 0 { return sink(.text(.badRequest, "endTs <= 0\n")) }
        if lookback <= 0 { return sink(.text(.badRequest, "lookback <= 0\n")) }
        offload { [spans] in
            var out = "["
            for (index, link) in spans.dependencies(endTsMs: endTs, lookbackMs: lookback).enumerated() {
                if index > 0 { out += "," }
                out += "{\"parent\":" + OpenTSDBResponses.jsonString(link.parent) + ",\"child\":" + OpenTSDBResponses.jsonString(link.child)
                out += ",\"callCount\":\(link.callCount)" + (link.errorCount > 0 ? ",\"errorCount\":\(link.errorCount)}" : "}")
            }
            sink(.json(.ok, out + "]"))
        }
    }
}
