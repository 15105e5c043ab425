import Foundation
import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// Zipkin's collector and the name/trace parts of its v2 query API over the span store.
///
/// `POST /api/v2/spans` (JSON v2, or proto3 with `Content-Type: application/x-protobuf`) and
/// `POST /api/v1/spans` (JSON v1) answer 202 once the spans are in the WAL, 400 with Zipkin's message when
/// any span is invalid (Zipkin stores none of such a body). Work in progress for the tracing issue: trace
/// search, dependencies and span partitions are not here yet.
struct ZipkinRoutes: Sendable {
    let spans: SpanStore
    let strictTraceId: Bool
    /// The configured autocomplete keys, in the order given.
    let keys: [String]
    /// zipkin-server's `QUERY_LOOKBACK`: the default `lookback` of `/api/v2/traces`.
    let queryLookbackMs: Int64

    func postV2(_ request: HTTPRequest, _ sink: ResponseSink) {
        let proto = request.headers.first(name: "content-type")?.lowercased().hasPrefix("application/x-protobuf") == true
        accept(request, sink, as: proto ? .proto3 : .jsonV2)
    }

    func postV1(_ request: HTTPRequest, _ sink: ResponseSink) {
        accept(request, sink, as: .jsonV1)
    }

    private func accept(_ request: HTTPRequest, _ sink: ResponseSink, as encoding: ZipkinBodyCheck.Encoding) {
        let decoded: Result<[Span], ZipkinDecodingError> = request.body.withUnsafeReadableBytes { raw in
            if ZipkinBodyCheck.isEmpty(raw) { return .success([]) }
            if let message = ZipkinBodyCheck.rejection(raw, as: encoding) {
                return .failure(ZipkinDecodingError(message: message, spanIndex: nil, byteOffset: 0))
            }
            return Result { () throws(ZipkinDecodingError) -> [Span] in
                var out: [Span] = []
                switch encoding {
                case .jsonV2: try ZipkinJSONV2Decoder.decode(raw, into: &out)
                case .jsonV1: try ZipkinJSONV1Decoder.decode(raw, into: &out)
                case .proto3: try ZipkinProto3Decoder.decode(raw, into: &out)
                }
                return out
            }
        }
        switch decoded {
        case .failure(let error):
            sink(.text(.badRequest, error.message))
        case .success(let list):
            do {
                let sequence = try spans.append(list)
                spans.whenDurable(sequence) { result in
                    switch result {
                    case .success: sink(HTTPResponse(status: .accepted))
                    case .failure(let error): sink(.text(HTTPResponseStatus(statusCode: error.kind == .diskFull ? 503 : 500), "\(error)\n"))
                    }
                }
            } catch {
                sink(.text(HTTPResponseStatus(statusCode: error.kind == .diskFull ? 503 : 500), "\(error)\n"))
            }
        }
    }

    func services(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, Self.stringArray(spans.serviceNames)))
    }

    func spanNames(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let service = request.query["serviceName"], !service.isEmpty else {
            return sink(.text(.badRequest, "serviceName is required\n"))
        }
        sink(.json(.ok, Self.stringArray(spans.spanNames(service: service.lowercased()))))
    }

    func remoteServices(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let service = request.query["serviceName"], !service.isEmpty else {
            return sink(.text(.badRequest, "serviceName is required\n"))
        }
        sink(.json(.ok, Self.stringArray(spans.remoteServiceNames(service: service.lowercased()))))
    }

    /// `GET /api/v2/trace/{traceId}`: 1–32 lower-hex characters; 404 when no span of it is stored.
    func trace(_ request: HTTPRequest, _ sink: ResponseSink) {
        let hex = String(request.path.dropFirst("/api/v2/trace/".count)).lowercased()
        guard let (high, low) = Self.traceID(hex) else {
            return sink(.text(.badRequest, "\(hex) should be a 1 to 32 character lower-hex string with no prefix\n"))
        }
        let found = spans.trace(high: high, low: low, strict: strictTraceId && hex.count > 16)
        guard !found.isEmpty else { return sink(.text(.notFound, "\(hex) not found\n")) }
        var out: [UInt8] = []
        ZipkinJSONV2Encoder.encode(found, into: &out)
        sink(.json(.ok, bytes: out))
    }

    /// `GET /api/v2/traces`: Zipkin's search (`QueryRequest`): names lower-cased, empty means absent,
    /// `spanName=all` means absent; `endTs` and `lookback` in ms, durations in µs; newest traces first.
    func traces(_ request: HTTPRequest, _ sink: ResponseSink) {
        let q = request.query
        let endTs = q["endTs"].flatMap { Int64($0) } ?? Int64(Date().timeIntervalSince1970 * 1000)
        let lookback = q["lookback"].flatMap { Int64($0) } ?? queryLookbackMs
        let limit = q["limit"].flatMap { Int($0) } ?? 10
        let minDuration = q["minDuration"].flatMap { Int64($0) }
        let maxDuration = q["maxDuration"].flatMap { Int64($0) }
        let problem: String? =
            if endTs <= 0 { "endTs <= 0" } else if lookback <= 0 { "lookback <= 0" } else if limit <= 0 { "limit <= 0" }
            else if let minDuration, minDuration <= 0 { "minDuration <= 0" }
            else if maxDuration != nil && minDuration == nil { "maxDuration is only valid with minDuration" }
            else if let maxDuration, let minDuration, maxDuration < minDuration { "maxDuration < minDuration" } else { nil }
        if let problem { return sink(.text(.badRequest, problem + "\n")) }
        var query = TraceQuery(endTsUs: endTs * 1000, lookbackUs: lookback * 1000, limit: limit)
        func name(_ key: String) -> String? { q[key].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 } }
        query.serviceName = name("serviceName")
        query.remoteServiceName = name("remoteServiceName")
        query.spanName = name("spanName").flatMap { $0 == "all" ? nil : $0 }
        query.minDurationUs = minDuration
        query.maxDurationUs = maxDuration
        if let annotationQuery = q["annotationQuery"], !annotationQuery.isEmpty { query.parseAnnotationQuery(annotationQuery) }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, trace) in spans.traces(matching: query, strict: strictTraceId).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            ZipkinJSONV2Encoder.encode(trace, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        sink(.json(.ok, bytes: out))
    }

    /// `GET /api/v2/traceMany?traceIds=a,b`: the traces found, each a list of spans; unknown ids are skipped.
    func traceMany(_ request: HTTPRequest, _ sink: ResponseSink) {
        let ids = (request.query["traceIds"] ?? "").split(separator: ",").map { String($0).lowercased() }
        guard !ids.isEmpty else { return sink(.text(.badRequest, "traceIds parameter is empty\n")) }
        var out: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for hex in ids {
            guard let (high, low) = Self.traceID(hex) else {
                return sink(.text(.badRequest, "\(hex) should be a 1 to 32 character lower-hex string with no prefix\n"))
            }
            let found = spans.trace(high: high, low: low, strict: strictTraceId && hex.count > 16)
            guard !found.isEmpty else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            ZipkinJSONV2Encoder.encode(found, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        sink(.json(.ok, bytes: out))
    }

    /// `GET /api/v2/autocompleteKeys`: the configured `--autocomplete-keys`.
    func autocompleteKeys(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, Self.stringArray(keys)))
    }

    /// `GET /api/v2/autocompleteValues?key=k`: values seen for a configured key.
    func autocompleteValues(_ request: HTTPRequest, _ sink: ResponseSink) {
        guard let key = request.query["key"], !key.isEmpty else { return sink(.text(.badRequest, "key is required\n")) }
        sink(.json(.ok, Self.stringArray(spans.autocompleteValues(key: key))))
    }

    static func traceID(_ hex: String) -> (UInt64, UInt64)? {
        guard (1...32).contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
        let low = UInt64(hex.suffix(16), radix: 16)
        let high = hex.count > 16 ? UInt64(hex.dropLast(16), radix: 16) : 0
        guard let low, let high else { return nil }
        return (high, low)
    }

    static func stringArray(_ names: [String]) -> String {
        "[" + names.map(OpenTSDBResponses.jsonString).joined(separator: ",") + "]"
    }
}
