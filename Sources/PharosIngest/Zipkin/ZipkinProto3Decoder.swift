public import PharosCore

/// Decodes `ListOfSpans` protobuf (`POST /api/v2/spans` with `application/x-protobuf`, and the gRPC
/// `SpanService/Report` body) into normalised `Span`s, by hand over the wire format.
///
/// Field numbers from `zipkin.proto`. Behaviour follows `Proto3ZipkinFields` / `Proto3Codec.readList`:
/// - ids are bytes turned into hex and then through the same rules as JSON (`ZipkinIDRules`): a
///   trace_id of 1–16 bytes (16 with a zero upper half is 64-bit; 9–15 bytes stay 128-bit), ids of 1–8
///   bytes; an empty id is Zipkin's `traceId == null` / `id == null`; an all-zero parent id is no parent;
/// - unknown fields — and known fields with an unexpected wire type — are skipped; wire types 3 and 4
///   (groups) and above 5 are `Malformed`;
/// - kind 0 or > 4 is ignored; an annotation with timestamp 0 or no value is dropped; a tag without a key
///   is dropped, without a value is `""`; booleans other than 0/1 are `Malformed`;
/// - an endpoint's ipv4/ipv6 bytes go through `ZipkinIPText.address(bytes:)`; port > 65535 is an error;
/// - truncation is Zipkin's `Truncated: length N > bytes available M`; every message ends with
///   `reading List<Span> from proto3`, and a message containing `Malformed` becomes just `Malformed`.
/// Deliberate difference: top-level fields other than 1 are skipped (Zipkin reads any first key as a span).
/// Pure; thread-safe. Generated SwiftProtobuf types would be slower and are not needed by this path.
public enum ZipkinProto3Decoder: ZipkinSpanDecoder {
    /// Appends the spans of `body` to `spans`.
    public static func decode(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError) {
        guard body.count > 0, let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var reader = ZipkinProto3Reader(base: base, end: body.count)
        var index = 0
        do {
            while reader.pos < reader.end {
                let key = try reader.varint32()
                if key == 0x0A {
                    let length = try reader.length()
                    let limit = reader.pos + length
                    try reader.span(until: limit, into: &spans)
                    index += 1
                } else {
                    try reader.skip(key)
                }
            }
        } catch {
            let cause = error.message.contains("Malformed") ? "Malformed" : error.message
            throw ZipkinDecodingError(
                message: cause + " reading List<Span> from proto3", spanIndex: index, byteOffset: reader.pos)
        }
    }
}
