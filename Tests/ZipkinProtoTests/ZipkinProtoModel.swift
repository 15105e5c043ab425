import Foundation
import PharosCore
import ZipkinProto

/// Zipkin's normalisation written plainly over the generated messages: what `ZipkinProto3Decoder` must
/// produce for a `Zipkin_Proto3_Span` that SwiftProtobuf decoded from the same bytes.
///
/// Kept independent of the decoder on purpose (no `ZipkinIDRules`, no `ZipkinSpanAssembly`, Java order from
/// UTF-16 code units rather than `JavaStringOrder`), so the two only agree when both follow Zipkin. The rules
/// are `Proto3ZipkinFields` and `Span.Builder.build()`, as `ZipkinProto3Decoder`'s documentation lists them.
enum ZipkinProtoModel {
    /// The normalised span for a valid message (non-empty, non-zero trace id; non-empty id).
    static func span(_ m: Zipkin_Proto3_Span) -> Span {
        let trace = Array(m.traceID)
        let high = word(trace.dropLast(8))
        let low = word(trace.suffix(8))
        var s = Span(
            traceIdHigh: high, traceIdLow: low,
            traceIdIs128Bit: trace.count > 8 && !(trace.count == 16 && high == 0),
            parentId: word(m.parentID), id: word(m.id))
        s.kind = SpanKind(rawValue: UInt8(clamping: m.kind.rawValue))
        s.name = name(m.name)
        s.timestampUs = max(Int64(bitPattern: m.timestamp), 0)
        s.durationUs = max(Int64(bitPattern: m.duration), 0)
        s.localEndpoint = m.hasLocalEndpoint ? endpoint(m.localEndpoint) : nil
        s.remoteEndpoint = m.hasRemoteEndpoint ? endpoint(m.remoteEndpoint) : nil
        var annotations: [SpanAnnotation] = []
        for a in m.annotations where a.timestamp != 0 && !a.value.isEmpty {
            let annotation = SpanAnnotation(timestampUs: Int64(bitPattern: a.timestamp), value: a.value)
            if !annotations.contains(where: { sameAnnotation($0, annotation) }) { annotations.append(annotation) }
        }
        s.annotations = annotations.sorted { a, b in
            a.timestampUs != b.timestampUs ? a.timestampUs < b.timestampUs : javaPrecedes(a.value, b.value)
        }
        s.tags = m.tags.map { SpanTag(key: $0.key, value: $0.value) }.sorted { javaPrecedes($0.key, $1.key) }
        s.debug = m.debug
        s.shared = m.shared && s.kind != .client
        if s.parentId == s.id { s.parentId = 0 }
        return s
    }

    /// `Endpoint.Builder`: lower-cased name, addresses by byte count, negative ports unknown; nil when empty.
    static func endpoint(_ m: Zipkin_Proto3_Endpoint) -> Endpoint? {
        var e = Endpoint(serviceName: name(m.serviceName), port: m.port <= 0 ? 0 : UInt16(m.port))
        for bytes in [Array(m.ipv4), Array(m.ipv6)] {
            if bytes.count == 4 {
                e.ipv4 = UInt32(word(bytes[...]))
            } else if bytes.count == 16 {
                let a = IPv6Address(high: word(bytes.prefix(8)), low: word(bytes.suffix(8)))
                // IPv4-compatible (`::a.b.c.d`, but not `::1`) reads as IPv4; IPv4-mapped stays IPv6
                if a.high == 0 && a.low >> 32 == 0 && a.low != 1 { e.ipv4 = UInt32(a.low) } else { e.ipv6 = a }
            }
        }
        return e.isEmpty ? nil : e
    }

    /// The generated message for a normalised span, as Zipkin's `Proto3SpanWriter` writes it.
    static func message(_ s: Span) -> Zipkin_Proto3_Span {
        var m = Zipkin_Proto3_Span()
        m.traceID = Data((s.traceIdIs128Bit ? bytes(s.traceIdHigh) : []) + bytes(s.traceIdLow))
        if s.parentId != 0 { m.parentID = Data(bytes(s.parentId)) }
        m.id = Data(bytes(s.id))
        m.kind = Zipkin_Proto3_Span.Kind(rawValue: Int(s.kind?.rawValue ?? 0)) ?? .spanKindUnspecified
        m.name = s.name ?? ""
        m.timestamp = UInt64(s.timestampUs)
        m.duration = UInt64(s.durationUs)
        if let e = s.localEndpoint { m.localEndpoint = message(e) }
        if let e = s.remoteEndpoint { m.remoteEndpoint = message(e) }
        m.annotations = s.annotations.map { a in
            var ma = Zipkin_Proto3_Annotation()
            ma.timestamp = UInt64(bitPattern: a.timestampUs)
            ma.value = a.value
            return ma
        }
        m.tags = Dictionary(uniqueKeysWithValues: s.tags.map { ($0.key, $0.value) })
        m.debug = s.debug
        m.shared = s.shared
        return m
    }

    static func message(_ e: Endpoint) -> Zipkin_Proto3_Endpoint {
        var m = Zipkin_Proto3_Endpoint()
        m.serviceName = e.serviceName ?? ""
        if let v4 = e.ipv4 { m.ipv4 = Data(bytes(UInt64(v4)).suffix(4)) }
        if let v6 = e.ipv6 { m.ipv6 = Data(bytes(v6.high) + bytes(v6.low)) }
        m.port = Int32(e.port)
        return m
    }

    /// `Span.Builder.name` / `Endpoint.Builder.serviceName`: lower case, empty is absent.
    static func name(_ s: String) -> String? { s.isEmpty ? nil : s.lowercased() }

    /// Java's `String.compareTo`: UTF-16 code units in order.
    static func javaPrecedes(_ a: String, _ b: String) -> Bool { a.utf16.lexicographicallyPrecedes(b.utf16) }

    /// Java's `equals` on annotations: same timestamp and the same UTF-16 text (not Unicode equivalence).
    static func sameAnnotation(_ a: SpanAnnotation, _ b: SpanAnnotation) -> Bool {
        a.timestampUs == b.timestampUs && a.value.utf16.elementsEqual(b.value.utf16)
    }

    /// Big-endian bytes as a number (at most the last eight count).
    static func word(_ bytes: some Collection<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }

    static func bytes(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
}
