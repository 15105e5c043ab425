import Foundation
import PharosCore
import SwiftProtobuf
import ZipkinProto

/// Encodes spans as a proto3 `ListOfSpans` body (what Zipkin's `Proto3SpanWriter` and reporters send to
/// `POST /api/v2/spans` with `Content-Type: application/x-protobuf`), through the protoc-generated messages.
///
/// Ids are big-endian bytes (8, or 16 for a 128-bit trace id), IPv4 is 4 bytes with the first octet first,
/// absent parts stay unset. Tags are written in key order (`useDeterministicOrdering`), so a seed gives the
/// same bytes on every run. Pure; the generated code is slower than a hand-written writer, which is fine:
/// bodies are encoded once, before the benchmark.
enum ProtoBodyEncoder {
    /// Appends the `ListOfSpans` message for `spans` to `out`.
    static func encode(_ spans: [Span], into out: inout [UInt8]) throws {
        var list = Zipkin_Proto3_ListOfSpans()
        list.spans = spans.map(message(for:))
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let bytes: [UInt8] = try list.serializedBytes(options: options)
        out.append(contentsOf: bytes)
    }

    /// The generated message for one span.
    static func message(for s: Span) -> Zipkin_Proto3_Span {
        var m = Zipkin_Proto3_Span()
        var trace = Data(capacity: 16)
        if s.traceIdIs128Bit { appendBigEndian(s.traceIdHigh, to: &trace) }
        appendBigEndian(s.traceIdLow, to: &trace)
        m.traceID = trace
        if s.parentId != 0 { m.parentID = bigEndian(s.parentId) }
        m.id = bigEndian(s.id)
        if let kind = s.kind { m.kind = Zipkin_Proto3_Span.Kind(rawValue: Int(kind.rawValue)) ?? .spanKindUnspecified }
        if let name = s.name { m.name = name }
        m.timestamp = UInt64(bitPattern: s.timestampUs)
        m.duration = UInt64(bitPattern: s.durationUs)
        if let e = s.localEndpoint { m.localEndpoint = message(for: e) }
        if let e = s.remoteEndpoint { m.remoteEndpoint = message(for: e) }
        m.annotations = s.annotations.map { a in
            var annotation = Zipkin_Proto3_Annotation()
            annotation.timestamp = UInt64(bitPattern: a.timestampUs)
            annotation.value = a.value
            return annotation
        }
        m.tags = Dictionary(s.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        m.debug = s.debug
        m.shared = s.shared
        return m
    }

    static func message(for e: Endpoint) -> Zipkin_Proto3_Endpoint {
        var m = Zipkin_Proto3_Endpoint()
        if let name = e.serviceName { m.serviceName = name }
        if let v4 = e.ipv4 {
            m.ipv4 = Data([
                UInt8(v4 >> 24), UInt8(truncatingIfNeeded: v4 >> 16), UInt8(truncatingIfNeeded: v4 >> 8),
                UInt8(truncatingIfNeeded: v4),
            ])
        }
        if let v6 = e.ipv6 { m.ipv6 = Data(v6.bytes) }
        m.port = Int32(e.port)
        return m
    }

    private static func bigEndian(_ value: UInt64) -> Data {
        var data = Data(capacity: 8)
        appendBigEndian(value, to: &data)
        return data
    }

    private static func appendBigEndian(_ value: UInt64, to data: inout Data) {
        withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) }
    }
}
