import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin proto3 decoder")
struct ZipkinProto3DecoderTests {
    func decode(_ bytes: [UInt8]) throws(ZipkinDecodingError) -> [Span] { try ZipkinProto3Decoder.decode(bytes) }

    func error(_ bytes: [UInt8]) -> String? {
        do {
            _ = try decode(bytes)
            return nil
        } catch {
            return error.message
        }
    }

    /// A `ListOfSpans` holding one span with the given field bytes.
    func list(_ span: [UInt8]) -> [UInt8] { [0x0A, UInt8(span.count)] + span }

    static let traceId: [UInt8] = [0x0A, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]
    static let id: [UInt8] = [0x1A, 0x08, 0, 0, 0, 0, 0, 0, 0, 9]

    @Test func goldenBytesOfAFullSpan() throws {
        // Built by hand from zipkin.proto's field numbers: (field << 3 | wire type), then the value.
        var span: [UInt8] = []
        span += [0x0A, 0x10] + [0x48, 0x48, 0x5a, 0x39, 0x53, 0xbb, 0x61, 0x24, 0x6b, 0x22, 0x1d, 0x5b, 0xc9, 0xe6, 0x49, 0x6c]
        span += [0x12, 0x08, 0x6b, 0x22, 0x1d, 0x5b, 0xc9, 0xe6, 0x49, 0x6c]  // parent_id = 2
        span += [0x1A, 0x08, 0x5b, 0x41, 0x85, 0x66, 0x6d, 0x50, 0xf6, 0x8b]  // id = 3
        span += [0x20, 0x02]  // kind = SERVER
        span += [0x2A, 0x03] + Array("GET".utf8)  // name = 5
        span += [0x31, 0x58, 0xA6, 0xAB, 0x5E, 0x34, 0x3B, 0x05, 0x00]  // timestamp = 6, fixed64 LE 1472470996199000
        span += [0x38, 0x98, 0xD1, 0x0C]  // duration = 7, varint 207000
        span += [0x42, 0x0E, 0x0A, 0x03] + Array("Web".utf8) + [0x12, 0x04, 127, 0, 0, 1, 0x20, 0x90, 0x3F]  // local: 8080
        span += [0x4A, 0x12, 0x1A, 0x10, 0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 10) + [0xc0, 0x01]  // remote ipv6
        span += [0x52, 0x0D, 0x09, 1, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x02] + Array("ws".utf8)  // annotation
        span += [0x5A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]  // tag k=v
        span += [0x5A, 0x03, 0x0A, 0x01, 0x65]  // tag e="" (value missing)
        span += [0x60, 0x01, 0x68, 0x01]  // debug, shared
        span += [0x78, 0x05, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8D, 0x01, 1, 2, 3, 4]  // unknown 15, 16, 17
        let s = try #require(try decode([0x0A] + varint(span.count) + span).first)
        #expect(s.traceIdHex == "48485a3953bb61246b221d5bc9e6496c")
        #expect(s.parentIdHex == "6b221d5bc9e6496c")
        #expect(s.idHex == "5b4185666d50f68b")
        #expect(s.kind == .server && s.name == "get")
        #expect(s.timestampUs == 1_472_470_996_199_000 && s.durationUs == 207_000)
        #expect(s.localEndpoint == Endpoint(serviceName: "web", ipv4: 0x7F00_0001, port: 8080))
        #expect(s.remoteEndpoint == Endpoint(ipv6: IPv6Address(high: 0x2001_0db8_0000_0000, low: 0xc001)))
        #expect(s.annotations == [SpanAnnotation(timestampUs: 1, value: "ws")])
        #expect(s.tags == [SpanTag(key: "e", value: ""), SpanTag(key: "k", value: "v")])
        #expect(s.debug && s.shared)
        // and the test encoder, written from the same numbers, produces bytes that decode to the same span
        #expect(try decode(ZipkinProto3TestEncoder.encode([s])) == [s])
    }

    func varint(_ n: Int) -> [UInt8] {
        var b: [UInt8] = []
        ZipkinProto3TestEncoder.varint(UInt64(n), &b)
        return b
    }

    @Test func idWidths() throws {
        let short = try decode(list([0x0A, 0x02, 0xAB, 0xCD] + Self.id))[0]
        #expect(short.traceIdHex == "000000000000abcd" && !short.traceIdIs128Bit)
        let zeroHigh = try decode(list([0x0A, 0x10] + [UInt8](repeating: 0, count: 15) + [7] + Self.id))[0]
        #expect(zeroHigh.traceIdHex == "0000000000000007" && !zeroHigh.traceIdIs128Bit)
        let twelve = try decode(list([0x0A, 0x0C] + [UInt8](repeating: 1, count: 12) + Self.id))[0]
        #expect(twelve.traceIdIs128Bit && twelve.traceIdHigh == 0x0101_0101 && twelve.traceIdLow == 0x0101_0101_0101_0101)
        let zeroParent = try decode(list(Self.traceId + Self.id + [0x12, 0x08] + [UInt8](repeating: 0, count: 8)))[0]
        #expect(zeroParent.parentId == 0)
    }

    @Test(
        arguments: [
            ([0x0A, 0x08] + [UInt8](repeating: 0, count: 8) + ZipkinProto3DecoderTests.id, "traceId is all zeros"),
            ([0x0A, 0x00] + ZipkinProto3DecoderTests.id, "traceId == null"),
            ([0x0A, 0x11] + [UInt8](repeating: 1, count: 17) + ZipkinProto3DecoderTests.id, "traceId.length > 32"),
            (ZipkinProto3DecoderTests.traceId + [0x1A, 0x09] + [UInt8](repeating: 1, count: 9), "id.length > 16"),
            (ZipkinProto3DecoderTests.traceId + [0x1A, 0x08] + [UInt8](repeating: 0, count: 8), "id is all zeros"),
            (ZipkinProto3DecoderTests.traceId, "Missing : id"),
            (ZipkinProto3DecoderTests.traceId + ZipkinProto3DecoderTests.id + [0x60, 0x02], "Malformed"),
            (ZipkinProto3DecoderTests.traceId + ZipkinProto3DecoderTests.id + [0x0B], "Malformed"),
            (ZipkinProto3DecoderTests.traceId + ZipkinProto3DecoderTests.id + [0x42, 0x03, 0x20, 0xF0, 0xA2, 0x04], "invalid port 70000"),
        ] as [([UInt8], String)])
    func validationMessages(span: [UInt8], message: String) {
        #expect(error(list(span)) == message + " reading List<Span> from proto3")
    }

    @Test func truncationMessages() {
        // Zipkin reads any first key as a span ("Truncated: length 101 > bytes available 3"); Pharos skips the
        // unknown field 13 ('h') and then meets wire type 4 ('l')
        #expect(error(Array("hello".utf8)) == "Malformed reading List<Span> from proto3")
        #expect(error([0x0A, 0x65, 0x6C]) == "Truncated: length 101 > bytes available 1 reading List<Span> from proto3")
        let body = ZipkinProto3TestEncoder.encode(randomZipkinSpans(count: 2, seed: 7))
        #expect(error(Array(body.prefix(10)))?.hasPrefix("Truncated: length ") == true)
    }

    @Test func kindsAndDroppedParts() throws {
        let s = try decode(
            list(
                Self.traceId + Self.id + [0x20, 0x07]  // unknown kind ignored
                    + [0x52, 0x04, 0x12, 0x02, 0x61, 0x62]  // annotation without timestamp dropped
                    + [0x5A, 0x03, 0x12, 0x01, 0x76]  // tag without key dropped
                    + [0x42, 0x06, 0x12, 0x04, 0, 0, 0, 0]  // ipv4 0.0.0.0 is a known address
                    + [0x4A, 0x05, 0x12, 0x03, 1, 2, 3]  // 3-byte address ignored → empty endpoint dropped
            ))[0]
        #expect(s.kind == nil && s.annotations.isEmpty && s.tags.isEmpty)
        #expect(s.localEndpoint == Endpoint(ipv4: 0) && s.remoteEndpoint == nil)
        let compat = try decode(
            list(Self.traceId + Self.id + [0x42, 0x12, 0x1A, 0x10] + [UInt8](repeating: 0, count: 12) + [10, 0, 0, 1]))[0]
        #expect(compat.localEndpoint == Endpoint(ipv4: 0x0A00_0001))
    }

    @Test func unknownTopLevelFieldsAreSkipped() throws {
        let body = [0x12, 0x02, 0x01, 0x02] + list(Self.traceId + Self.id) + [0x18, 0x05]
        #expect(try decode(body).count == 1)
        #expect(try decode([]).isEmpty)
    }
}
