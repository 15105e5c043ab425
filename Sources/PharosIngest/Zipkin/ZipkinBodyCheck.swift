/// zipkin-server's checks on a span body before decoding it (`ZipkinHttpCollector.validateAndStoreSpans`,
/// `SpanBytesDecoderDetector.decoderForListMessage`, `testForUnexpectedFormat`), for the HTTP layer.
///
/// An empty body (after gunzip) or exactly `[]` is accepted with nothing stored (202). The first byte must
/// start a list in some encoding — `[`, thrift list types 12 or 11, or proto3 field 1 (`0x0A` then a non-zero
/// byte) — else 400 `Expected a JSON_V2 encoded list\n` (named after the endpoint's decoder). A JSON v2 body
/// containing `yAnnotations"` is v1 (`…, but received: JSON_V1\n`); a v1 body containing `Endpoint"` or
/// `"tags"` is v2. Bodies that are ambiguous pass to the decoder. Pure.
public enum ZipkinBodyCheck {
    /// The decoder an endpoint uses, named as Zipkin names it in messages.
    public enum Encoding: String, Sendable {
        case jsonV1 = "JSON_V1"
        case jsonV2 = "JSON_V2"
        case proto3 = "PROTO3"
        case thrift = "THRIFT"
    }

    /// True when the body carries no spans and should be answered 202 without decoding.
    public static func isEmpty(_ body: UnsafeRawBufferPointer) -> Bool {
        body.isEmpty || (body.count == 2 && body[0] == 0x5B && body[1] == 0x5D)
    }

    /// Zipkin's 400 message for a body that must not be decoded as `encoding`, or nil to go on decoding.
    public static func rejection(_ body: UnsafeRawBufferPointer, as encoding: Encoding) -> String? {
        guard let first = body.first else { return nil }
        let proto3 = first == 0x0A && body.count > 1 && body[1] != 0
        guard first == 0x5B || first == 12 || first == 11 || proto3 else { return "Expected a \(encoding.rawValue) encoded list\n" }
        switch encoding {
        case .jsonV2 where contains(body, "yAnnotations\""):
            return "Expected a JSON_V2 encoded list, but received: JSON_V1\n"
        case .jsonV1 where contains(body, "Endpoint\"") || contains(body, "\"tags\""):
            return "Expected a JSON_V1 encoded list, but received: JSON_V2\n"
        default:
            return nil
        }
    }

    static func contains(_ body: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard body.count >= n else { return false }
        let p = needle.utf8Start
        var i = 0
        while i <= body.count - n {
            if body[i] == p[0] {
                var j = 1
                while j < n && body[i + j] == p[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }
}
