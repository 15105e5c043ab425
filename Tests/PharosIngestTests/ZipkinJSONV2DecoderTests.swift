import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin JSON v2 decoder")
struct ZipkinJSONV2DecoderTests {
    @Test func decodesAFullSpan() throws {
        let s = try zipkinV2Span(
            #"""
            {"traceId":"48485a3953bb61246b221d5bc9e6496c","parentId":"6b221d5bc9e6496c","id":"5b4185666d50f68b",
             "kind":"CLIENT","name":"Get-Traces","timestamp":1472470996199000,"duration":207000,
             "localEndpoint":{"serviceName":"FrontEnd","ipv4":"127.0.0.1","port":8080},
             "remoteEndpoint":{"serviceName":"backend","ipv6":"2001:db8::c001","port":9000},
             "annotations":[{"timestamp":1472470996406000,"value":"ws"},{"timestamp":1472470996238000,"value":"wr"}],
             "tags":{"http.path":"/api","clnt/finagle.version":"6.45.0"},"debug":true,"shared":false,"extra":{"a":[1,2,{"b":null}]}}
            """#)
        #expect(s.traceIdHex == "48485a3953bb61246b221d5bc9e6496c")
        #expect(s.parentIdHex == "6b221d5bc9e6496c")
        #expect(s.idHex == "5b4185666d50f68b")
        #expect(s.kind == .client)
        #expect(s.name == "get-traces")
        #expect(s.timestampUs == 1_472_470_996_199_000)
        #expect(s.durationUs == 207_000)
        #expect(s.localEndpoint == Endpoint(serviceName: "frontend", ipv4: 0x7F00_0001, port: 8080))
        #expect(s.remoteEndpoint?.ipv6.map { ZipkinIPText.string(.v6($0)) } == "2001:db8::c001")
        #expect(s.annotations.map(\.value) == ["wr", "ws"])
        #expect(s.tags.map(\.key) == ["clnt/finagle.version", "http.path"])
        #expect(s.debug && !s.shared)
    }

    @Test(arguments: [
        ("", 0), ("[]", 0), (" [ ] ", 0), ("[" + zipkinObject("") + "]trailing", 1),
    ])
    func emptyBodiesAndTrailingBytes(body: String, count: Int) throws {
        #expect(try zipkinV2(body).count == count)
    }

    @Test(arguments: [
        ("1", "0000000000000001", false), ("abc", "0000000000000abc", false),
        ("86154a4ba6e91385", "86154a4ba6e91385", false),
        ("0000000000000000" + "86154a4ba6e91385", "86154a4ba6e91385", false),
        ("1" + "86154a4ba6e91385", "0000000000000001" + "86154a4ba6e91385", true),
        ("000000000000000000a", "0000000000000000000000000000000a", true),  // Zipkin keeps 17–31 chars as 128-bit
        ("48485a3953bb61246b221d5bc9e6496c", "48485a3953bb61246b221d5bc9e6496c", true),
    ])
    func traceIdNormalisation(input: String, expected: String, is128: Bool) throws {
        let s = try zipkinV2Span(#"{"traceId":"\#(input)","id":"1"}"#)
        #expect(s.traceIdHex == expected)
        #expect(s.traceIdIs128Bit == is128)
    }

    @Test(arguments: [
        (#""traceId":"","id":"1""#, "traceId is empty"),
        (#""traceId":"\#(String(repeating: "a", count: 33))","id":"1""#, "traceId.length > 32"),
        (#""traceId":"48485A3953BB6124","id":"1""#, "48485A3953BB6124 should be lower-hex encoded with no prefix"),
        (#""traceId":"0x1","id":"1""#, "0x1 should be lower-hex encoded with no prefix"),
        (#""traceId":"0000","id":"1""#, "traceId is all zeros"),
        (#""traceId":"1","id":"""#, "id is empty"),
        (#""traceId":"1","id":"00000000000000001""#, "id.length > 16"),
        (#""traceId":"1","id":"0000000000000000""#, "id is all zeros"),
        (#""traceId":"1","id":"1","parentId":"""#, "parentId is empty"),
        (#""traceId":"1","id":"1","parentId":"12345678901234567""#, "parentId.length > 16"),
        (#""traceId":"1","id":"1","parentId":"G""#, "G should be lower-hex encoded with no prefix"),
        (#""id":"1""#, "Missing : traceId"),
        (#""traceId":"1""#, "Missing : id"),
        (#""name":"x""#, "Missing : traceId id"),
        (#""traceId":"1","id":"1","kind":"client""#, "No enum constant zipkin2.Span.Kind.client"),
        (#""traceId":"1","id":"1","localEndpoint":{"port":70000}"#, "invalid port 70000"),
        (#""traceId":"1","id":"1","tags":{"foo":null}"#, "No value at $[0].tags.foo"),
        (#""traceId":"1","id":"1","annotations":[{"timestamp":1}]"#, "Incomplete annotation at $[0].annotations[0].timestamp"),
        (#""traceId":"1","id":"1","annotations":[{"value":"x","timestamp":1},{}]"#, "Incomplete annotation at $[0].annotations[1]."),
        (#""traceId":null,"id":"1""#, "Expected a string but was NULL at line 1 column 17 path $[0].traceId"),
        (#""traceId":"1","id":"1","tags":{"error":true}"#, "Expected a string but was BOOLEAN at line 1 column 46 path $[0].tags.error"),
        (#""traceId":"1","id":"1","timestamp":true"#, "Expected a long but was BOOLEAN at line 1 column 42 path $[0].timestamp"),
        (#""traceId":"1","id":"1","timestamp":1.5"#, "Expected a long but was 1.5 at line 1 column 41 path $[0].timestamp"),
        (#""traceId":"1","id":"1","debug":"true""#, "Expected a boolean but was STRING at line 1 column 35 path $[0].debug"),
        (
            #""traceId":"1","id":"1","annotations":{}"#,
            "Expected BEGIN_ARRAY but was BEGIN_OBJECT at line 1 column 41 path $[0].annotations"
        ),
        (#""traceId":"1","id":"1","tags":[]"#, "Malformed"),
        (#""traceId":"1","id":"1","localEndpoint":"x""#, "Malformed"),
    ])
    func validationMessages(members: String, message: String) {
        #expect(zipkinV2Error("[{" + members + "}]") == message + " reading List<Span> from json")
    }

    @Test func errorsCarryTheSpanIndex() {
        do {
            _ = try zipkinV2("[" + zipkinObject("") + "," + zipkinObject(#""kind":"x""#) + "]")
            Issue.record("decoded")
        } catch {
            #expect(error.spanIndex == 1)
            #expect(error.status == 400)
        }
    }

    @Test(arguments: [
        "hello", "[", "[{", #"[{"traceId""#, "[1]", #"["x"]"#, "{}", #"[{"traceId":"1","id":"1",}]"#,
        #"[{"traceId":"1" "id":"1"}]"#, "[{}{}]", #"[{"traceId":"1","id":"1","timestamp":01}]"#,
        #"[{"traceId":"1","id":"1","debug":tru}]"#, #"[{"traceId":"1","id":"1","x":"\q"}]"#,
    ])
    func malformedBodiesFail(body: String) {
        let message = zipkinV2Error(body)
        #expect(message != nil)
        #expect(message?.hasSuffix(" reading List<Span> from json") == true)
    }

    @Test func nullMembersAreIgnoredExceptIds() throws {
        let s = try zipkinV2Span(
            zipkinObject(
                #""parentId":null,"name":null,"timestamp":null,"duration":null,"localEndpoint":null,"remoteEndpoint":null,"#
                    + #""annotations":null,"tags":null,"debug":null,"shared":null"#))
        #expect(s == Span(traceIdLow: 0x8615_4a4b_a6e9_1385, id: 0x4d1e_00c0_db90_10db))
    }

    @Test func endpointRules() throws {
        let empty = try zipkinV2Span(zipkinObject(#""localEndpoint":{"serviceName":null,"ipv4":null,"port":null},"remoteEndpoint":{}"#))
        #expect(empty.localEndpoint == nil && empty.remoteEndpoint == nil)
        let badIp = try zipkinV2Span(zipkinObject(#""localEndpoint":{"ipv4":"999.1.1.1"},"remoteEndpoint":{"ipv4":"x","port":-5}"#))
        #expect(badIp.localEndpoint == nil && badIp.remoteEndpoint == nil)
        let mapped = try zipkinV2Span(zipkinObject(#""localEndpoint":{"serviceName":"","ipv6":"::ffff:10.0.0.1","port":"80"}"#))
        #expect(mapped.localEndpoint == Endpoint(ipv4: 0x0A00_0001, port: 80))
        let v6InV4Field = try zipkinV2Span(zipkinObject(#""localEndpoint":{"ipv4":"::1"}"#))
        #expect(v6InV4Field.localEndpoint?.ipv6 == IPv6Address(high: 0, low: 1))
    }

    @Test func buildRules() throws {
        let selfParent = try zipkinV2Span(zipkinObject(#""parentId":"4d1e00c0db9010db","kind":"CLIENT","shared":true"#))
        #expect(selfParent.parentId == 0)
        #expect(!selfParent.shared)
        let zeroParent = try zipkinV2Span(zipkinObject(#""parentId":"0000","kind":"SERVER","shared":true"#))
        #expect(zeroParent.parentId == 0 && zeroParent.shared)
        let negative = try zipkinV2Span(zipkinObject(#""timestamp":-5,"duration":-1,"name":"""#))
        #expect(negative.timestampUs == 0 && negative.durationUs == 0 && negative.name == nil)
        let quoted = try zipkinV2Span(zipkinObject(#""timestamp":"1472470996199000","duration":2e3"#))
        #expect(quoted.timestampUs == 1_472_470_996_199_000 && quoted.durationUs == 2000)
        let shortZeroId = try zipkinV2Span(#"{"traceId":"1","id":"0"}"#)  // Zipkin only rejects 16 zeros
        #expect(shortZeroId.id == 0)
    }

    @Test func annotationsSortedAndDeduplicatedTagsLastWins() throws {
        let s = try zipkinV2Span(
            zipkinObject(
                #""annotations":[{"timestamp":2,"value":"b"},{"timestamp":1,"value":"z"},{"timestamp":2,"value":"a"},"#
                    + #"{"timestamp":2,"value":"b"}],"tags":{"b":"1","a":"2","b":"3","A":"4"}"#))
        #expect(s.annotations == [.init(timestampUs: 1, value: "z"), .init(timestampUs: 2, value: "a"), .init(timestampUs: 2, value: "b")])
        #expect(s.tags == [.init(key: "A", value: "4"), .init(key: "a", value: "2"), .init(key: "b", value: "3")])
    }

    @Test func numbersWhereStringsAreExpectedKeepTheirLiteralText() throws {
        let s = try zipkinV2Span(#"{"traceId":123,"id":1,"name":1.50,"tags":{"n":-0,"e":1E+3}}"#)
        #expect(s.traceIdHex == "0000000000000123")
        #expect(s.name == "1.50")
        #expect(s.tag("n") == "-0" && s.tag("e") == "1E+3")
    }

    @Test func namesAreLowerCasedTagsAreNot() throws {
        let s = try zipkinV2Span(zipkinObject(#""name":"GET /Ünïcode","localEndpoint":{"serviceName":"Svc\u0041"},"tags":{"K":"V"}"#))
        #expect(s.name == "get /ünïcode")
        #expect(s.localEndpoint?.serviceName == "svca")
        #expect(s.tags == [SpanTag(key: "K", value: "V")])
    }

    @Test func escapesAndInvalidUTF8() throws {
        let s = try zipkinV2Span(zipkinObject(#""tags":{"k":"a\"b\\c\/d\n\t\u00e9\ud83d\ude42\ud800x"}"#))
        #expect(s.tag("k") == "a\"b\\c/d\n\té🙂\u{FFFD}x")
        let object = zipkinObject(#""name":"a"#)
        let body = Array(("[" + object.dropLast()).utf8) + [0xFF, 0xC3] + Array(#"b"}]"#.utf8)
        let bad = try ZipkinJSONV2Decoder.decode(body)
        #expect(bad[0].name == "a\u{FFFD}\u{FFFD}b")
    }

    @Test func deepNestingInUnknownMembersDoesNotRecurse() throws {
        let depth = 200_000
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try zipkinV2Span(zipkinObject(#""x":"# + nested)).id == 0x4d1e_00c0_db90_10db)
        let unclosed = String(repeating: #"{"a":"#, count: depth)
        #expect(zipkinV2Error("[" + zipkinObject(#""x":"# + unclosed)) != nil)
    }

    @Test func oneMegabyteTagValue() throws {
        let big = String(repeating: "x", count: 1 << 20)
        let s = try zipkinV2Span(zipkinObject(#""tags":{"big":"\#(big)"}"#))
        #expect(s.tag("big")?.utf8.count == 1 << 20)
    }
}
