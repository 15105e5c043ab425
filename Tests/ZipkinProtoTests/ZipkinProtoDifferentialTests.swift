import Foundation
import PharosCore
import PharosIngest
import SwiftProtobuf
import Testing
import ZipkinProto

/// The hand-written `ZipkinProto3Decoder` against the protoc-generated SwiftProtobuf code as the oracle:
/// bytes written by the generated serializer must decode, span by span and field by field, to what Zipkin's
/// rules (`ZipkinProtoModel`) make of the messages the generated decoder reads from the same bytes.
@Suite("Zipkin proto3: Pharos's decoder against the generated code")
struct ZipkinProtoDifferentialTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func decodesWhatTheGeneratedSerializerWrites(seed: UInt64) throws {
        var random = RandomProtoSpans(seed: seed)
        var checked = 0
        for list in random.lists(spans: 300, maxPerList: 60) {
            let body: [UInt8] = try list.serializedBytes()
            let oracle = try Zipkin_Proto3_ListOfSpans(serializedBytes: body)
            #expect(oracle == list)
            let spans = try ZipkinProto3Decoder.decode(body)
            try #require(spans.count == oracle.spans.count)
            for (i, (span, message)) in zip(spans, oracle.spans).enumerated() {
                expectSame(span, ZipkinProtoModel.span(message), "seed \(seed), span \(checked + i)")
            }
            checked += spans.count
        }
        #expect(checked == 300)
    }

    /// The reverse: normalised spans written by the generated serializer read back unchanged, by the proto3
    /// decoder and (through Pharos's JSON v2 encoder) by the JSON v2 decoder.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func normalisedSpansRoundTripThroughTheGeneratedSerializer(seed: UInt64) throws {
        var random = RandomProtoSpans(seed: seed)
        let spans = (0..<200).map { _ in ZipkinProtoModel.span(random.span()) }
        var list = Zipkin_Proto3_ListOfSpans()
        list.spans = spans.map(ZipkinProtoModel.message)
        let body: [UInt8] = try list.serializedBytes()
        let decoded = try ZipkinProto3Decoder.decode(body)
        try #require(decoded.count == spans.count)
        for (i, (span, expected)) in zip(decoded, spans).enumerated() { expectSame(span, expected, "seed \(seed), span \(i)") }
        let oracle = try Zipkin_Proto3_ListOfSpans(serializedBytes: body)
        #expect(oracle.spans.map(ZipkinProtoModel.span) == spans)
        var json: [UInt8] = []
        ZipkinJSONV2Encoder.encode(spans, into: &json)
        #expect(try ZipkinJSONV2Decoder.decode(json) == spans)
    }

    /// Unknown fields in spans, endpoints, annotations, tags and the list are skipped by both decoders; two
    /// lists written back to back read as one (repeated fields concatenate).
    @Test func unknownFieldsAndConcatenatedLists() throws {
        var random = RandomProtoSpans(seed: 21)
        var first = Zipkin_Proto3_ListOfSpans()
        first.spans = (0..<20).map { _ in random.span() }
        var second = Zipkin_Proto3_ListOfSpans()
        second.spans = (0..<20).map { _ in random.span() }
        // field 15 varint, field 16 fixed64, field 17 bytes, field 18 fixed32: in a span, then at top level
        let unknown: [UInt8] = [0x78, 0x96, 0x01, 0x81, 0x01] + [UInt8](repeating: 7, count: 8) + [0x8A, 0x01, 0x02, 0x61, 0x62]
            + [0x95, 0x01, 1, 2, 3, 4]
        var body: [UInt8] = []
        for span in first.spans {
            let bytes: [UInt8] = try span.serializedBytes() + unknown
            body += [0x0A] + varint(bytes.count) + bytes
        }
        body += [0x12, 0x03, 0x0A, 0x01, 0x00] + (try second.serializedBytes() as [UInt8])  // field 2: an unknown list member
        let oracle = try Zipkin_Proto3_ListOfSpans(serializedBytes: body)
        try #require(oracle.spans.count == 40)
        #expect(oracle.spans.dropFirst(20).elementsEqual(second.spans))
        let spans = try ZipkinProto3Decoder.decode(body)
        try #require(spans.count == 40)
        for (i, (span, message)) in zip(spans, oracle.spans).enumerated() {
            expectSame(span, ZipkinProtoModel.span(message), "span \(i)")
        }
    }

    /// The one deliberate disagreement: protobuf writes a negative `int32` as a 10-byte varint, and Zipkin's
    /// `readVarint32` (like Pharos) rejects varints longer than 5 bytes, where the generated code reads the port.
    @Test func negativePortIsRejectedLikeZipkin() throws {
        var list = Zipkin_Proto3_ListOfSpans()
        var random = RandomProtoSpans(seed: 31)
        var span = random.span()
        span.localEndpoint.port = -1
        list.spans = [span]
        let body: [UInt8] = try list.serializedBytes()
        #expect(try Zipkin_Proto3_ListOfSpans(serializedBytes: body).spans[0].localEndpoint.port == -1)
        let error = #expect(throws: ZipkinDecodingError.self) { try ZipkinProto3Decoder.decode(body) }
        #expect(error?.message.hasPrefix("Greater than 32-bit varint at position ") == true)
        #expect(error?.message.hasSuffix(" reading List<Span> from proto3") == true)
    }

    /// Field by field first, so a failure names the field; then the whole span.
    func expectSame(_ actual: Span, _ expected: Span, _ context: String) {
        #expect(actual.traceIdHigh == expected.traceIdHigh, "\(context): traceIdHigh")
        #expect(actual.traceIdLow == expected.traceIdLow, "\(context): traceIdLow")
        #expect(actual.traceIdIs128Bit == expected.traceIdIs128Bit, "\(context): traceIdIs128Bit")
        #expect(actual.parentId == expected.parentId, "\(context): parentId")
        #expect(actual.id == expected.id, "\(context): id")
        #expect(actual.kind == expected.kind, "\(context): kind")
        #expect(actual.name == expected.name, "\(context): name")
        #expect(actual.timestampUs == expected.timestampUs, "\(context): timestamp")
        #expect(actual.durationUs == expected.durationUs, "\(context): duration")
        #expect(actual.localEndpoint == expected.localEndpoint, "\(context): localEndpoint")
        #expect(actual.remoteEndpoint == expected.remoteEndpoint, "\(context): remoteEndpoint")
        #expect(actual.annotations == expected.annotations, "\(context): annotations")
        #expect(actual.tags == expected.tags, "\(context): tags")
        #expect(actual.debug == expected.debug, "\(context): debug")
        #expect(actual.shared == expected.shared, "\(context): shared")
        #expect(actual == expected, "\(context)")
    }

    func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n)
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }
}
