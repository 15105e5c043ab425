import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin JSON v1 decoder and body checks")
struct ZipkinJSONV1DecoderTests {
    func v1(_ json: String) throws(ZipkinDecodingError) -> [Span] { try ZipkinJSONV1Decoder.decode(Array(json.utf8)) }

    func v1Error(_ json: String) -> String? {
        do {
            _ = try v1(json)
            return nil
        } catch {
            return error.message
        }
    }

    static let frontend = #"{"serviceName":"Frontend","ipv4":"127.0.0.1","port":8080}"#
    static let backend = #"{"serviceName":"backend","ipv4":"192.168.99.101","port":9000}"#

    @Test func clientAndServerInOneV1SpanBecomeTwoSpans() throws {
        let spans = try v1(
            #"[{"traceId":"48485a3953bb61246b221d5bc9e6496c","id":"6b221d5bc9e6496c","name":"GET","timestamp":100,"duration":50,"#
                + #""annotations":[{"timestamp":100,"value":"cs","endpoint":\#(Self.frontend)},"#
                + #"{"timestamp":110,"value":"sr","endpoint":\#(Self.backend)},{"timestamp":140,"value":"ss","endpoint":\#(Self.backend)},"#
                + #"{"timestamp":150,"value":"cr","endpoint":\#(Self.frontend)},{"timestamp":120,"value":"retry","endpoint":\#(Self.backend)}],"#
                + #""binaryAnnotations":[{"key":"http.path","value":"/api","endpoint":\#(Self.backend)},"#
                + #"{"key":"sa","value":true,"endpoint":\#(Self.backend)},{"key":"lc","value":"","endpoint":\#(Self.frontend)}]}]"#)
        #expect(spans.count == 2)
        let client = spans[0]
        let server = spans[1]
        #expect(client.kind == .client && client.timestampUs == 100 && client.durationUs == 50 && !client.shared)
        #expect(client.localEndpoint?.serviceName == "frontend" && client.remoteEndpoint?.serviceName == "backend")
        #expect(client.name == "get" && client.traceIdIs128Bit)
        #expect(server.kind == .server && server.shared && server.timestampUs == 110 && server.durationUs == 30)
        #expect(server.annotations == [SpanAnnotation(timestampUs: 120, value: "retry")])
        #expect(server.tags == [SpanTag(key: "http.path", value: "/api")])
    }

    @Test func serverOnlySpanWithoutTimestampIsShared() throws {
        let spans = try v1(
            #"[{"traceId":"1","id":"2","annotations":[{"timestamp":10,"value":"sr","endpoint":\#(Self.backend)},"#
                + #"{"timestamp":30,"value":"ss","endpoint":\#(Self.backend)}],"#
                + #""binaryAnnotations":[{"key":"ca","value":true,"endpoint":\#(Self.frontend)}]}]"#)
        #expect(spans.count == 1)
        #expect(spans[0].kind == .server && spans[0].shared && spans[0].timestampUs == 10 && spans[0].durationUs == 20)
        #expect(spans[0].remoteEndpoint?.serviceName == "frontend")
    }

    @Test func addressOnlySpans() throws {
        let both = try v1(
            #"[{"traceId":"1","id":"2","binaryAnnotations":[{"key":"ca","value":true,"endpoint":\#(Self.frontend)},"#
                + #"{"key":"sa","value":true,"endpoint":\#(Self.backend)}]}]"#)
        #expect(both[0].kind == nil && both[0].localEndpoint?.serviceName == "frontend" && both[0].remoteEndpoint?.serviceName == "backend")
        let caOnly = try v1(#"[{"traceId":"1","id":"2","binaryAnnotations":[{"key":"ca","value":true,"endpoint":\#(Self.frontend)}]}]"#)
        #expect(caOnly[0].kind == .server && caOnly[0].remoteEndpoint?.serviceName == "frontend")
    }

    @Test(arguments: [
        (#"[{"traceId":"0","id":"1"}]"#, "traceId == 0"),
        (#"[{"traceId":"1","id":"0"}]"#, "id == 0"),
        (#"[{"traceId":"X1","id":"1"}]"#, "X1 should be a 1 to 32 character lower-hex string with no prefix"),
        (#"[{"traceId":"1","id":"1","binaryAnnotations":[{"value":"x"}]}]"#, "No key at $[0].binaryAnnotations[0].value"),
        (#"[{"traceId":"1","id":"1","annotations":[{"value":"x"}]}]"#, "Incomplete annotation at $[0].annotations[0].value"),
    ])
    func validationMessages(body: String, message: String) {
        #expect(v1Error(body) == message + " reading List<Span> from json")
    }

    @Test func only32CharacterTraceIdsKeepTheirUpperHalf() throws {
        #expect(try v1(#"[{"traceId":"1000000000000000a","id":"1"}]"#)[0].traceIdHex == "000000000000000a")
    }

    @Test func mutatedV1NeverCrashes() {
        var rng = SplitMix64(seed: 3)
        let body = Array(
            (#"[{"traceId":"1","id":"2","annotations":[{"timestamp":10,"value":"sr","endpoint":\#(Self.backend)}],"#
                + #""binaryAnnotations":[{"key":"ca","value":true,"endpoint":\#(Self.frontend)}]}]"#).utf8)
        for _ in 0..<2000 {
            var m = body
            m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            _ = try? ZipkinJSONV1Decoder.decode(m)
        }
    }

    @Test(arguments: [
        ("", ZipkinBodyCheck.Encoding.jsonV2, nil as String?),
        ("hello", .jsonV2, "Expected a JSON_V2 encoded list\n"),
        ("\u{1}\u{2}\u{3}\u{4}", .proto3, "Expected a PROTO3 encoded list\n"),
        (#"[{"binaryAnnotations":[]}]"#, .jsonV2, "Expected a JSON_V2 encoded list, but received: JSON_V1\n"),
        (#"[{"localEndpoint":{}}]"#, .jsonV1, "Expected a JSON_V1 encoded list, but received: JSON_V2\n"),
        (#"[{"tags":{}}]"#, .jsonV1, "Expected a JSON_V1 encoded list, but received: JSON_V2\n"),
        (#"[{"traceId":"1","id":"1","name":"test"}]"#, .jsonV1, nil),
        (#"[{"traceId":"1","id":"1","name":"test"}]"#, .jsonV2, nil),
    ])
    func bodyChecks(body: String, encoding: ZipkinBodyCheck.Encoding, message: String?) {
        #expect(Array(body.utf8).withUnsafeBytes { ZipkinBodyCheck.rejection($0, as: encoding) } == message)
    }
}
