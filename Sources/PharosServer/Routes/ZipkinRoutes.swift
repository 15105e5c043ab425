import Foundation
import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// Zipkin's collector over the span store (the query API is `ZipkinQueryRoutes`).
///
/// `POST /api/v2/spans` (JSON v2, or proto3 with `Content-Type: application/x-protobuf`) and
/// `POST /api/v1/spans` (JSON v1) answer 202 once the spans are in the WAL, 400 with Zipkin's message when
/// any span is invalid (Zipkin stores none of such a body).
struct ZipkinRoutes: Sendable {
    let spans: SpanStore

    func postV2(_ request: HTTPRequest, _ sink: ResponseSink) {
        let proto = request.headers.first(name: "content-type")?.lowercased().hasPrefix("application/x-protobuf") == true
        accept(request, sink, as: proto ? .proto3 : .jsonV2)
    }

    func postV1(_ request: HTTPRequest, _ sink: ResponseSink) {
        let thrift = request.headers.first(name: "content-type")?.lowercased().hasPrefix("application/x-thrift") == true
        accept(request, sink, as: thrift ? .thrift : .jsonV1)
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
                case .thrift: try ZipkinThriftV1Decoder.decode(raw, into: &out)
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
}
