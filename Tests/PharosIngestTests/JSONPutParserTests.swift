import PharosCore
import PharosIngest
import Testing

@Suite struct JSONPutParserTests {
    static func onlyPoint(_ body: String) throws -> JSONPut {
        let items = try parseJSON(body)
        guard items.count == 1, case .point(let put) = items[0] else {
            Issue.record("expected one point, got \(items)")
            throw PutBodyError(message: "no point")
        }
        return put
    }

    static func onlyFailure(_ body: String) throws -> (String, String) {
        let items = try parseJSON(body)
        guard items.count == 1, case .failed(let error, let datapoint) = items[0] else {
            Issue.record("expected one failure, got \(items)")
            throw PutBodyError(message: "no failure")
        }
        return (error.message, datapoint)
    }

    @Test func singleObject() throws {
        let body = #"{"metric":"node_load1","timestamp":1699920000,"value":0.53,"tags":{"host":"host-0001","dc":"dc2"}}"#
        let put = try Self.onlyPoint(body)
        #expect(put.metric == "node_load1")
        #expect(put.timestampMs == 1_699_920_000_000)
        #expect(put.value == 0.53)
        #expect(put.tags == [Tag(key: "host", value: "host-0001"), Tag(key: "dc", value: "dc2")])
        let bytes = Array(body.utf8)
        #expect(String(decoding: bytes[put.rawMetric], as: UTF8.self) == "node_load1")
        #expect(String(decoding: bytes[put.rawTags], as: UTF8.self) == #"{"host":"host-0001","dc":"dc2"}"#)
        let key = try JSONPutParser.seriesKey(put, limits: PutLimits()).get()
        #expect(key.description == "node_load1{dc=dc2,host=host-0001}")
    }

    @Test func arrayWithWhitespaceEverywhere() throws {
        let body = " \n[ {\"metric\" : \"a\" ,\t\"timestamp\":1364410924250 , \"value\" : \"42\" , \"tags\" : { \"k\" : \"v\" } } ,\r\n"
            + " { \"tags\":{\"k\":\"v\"},\"value\":1e3,\"timestamp\":\"1364410924\",\"metric\":\"b\"} ] \n"
        let items = try parseJSON(body)
        #expect(items.count == 2)
        guard case .point(let a) = items[0], case .point(let b) = items[1] else {
            Issue.record("expected points")
            return
        }
        #expect(a.timestampMs == 1_364_410_924_250)
        #expect(a.value == 42)
        #expect(a.valueText == "42")
        #expect(b.value == 1000)
        #expect(b.timestampMs == 1_364_410_924_000)
    }

    static let bodyErrors: [(String, String)] = [
        ("", "Missing request content"),
        ("   ", "Missing request content"),
        ("hello", "The JSON must start as an object or an array"),
        ("\"x\"", "The JSON must start as an object or an array"),
        ("[]", "No datapoints found in content"),
        (" [ ] ", "No datapoints found in content"),
        ("[{\"metric\":}]", "Unable to parse the given JSON"),
        ("[{\"metric\":\"m\"", "Unable to parse the given JSON"),
        ("[1]", "Unable to parse the given JSON"),
        ("[null]", "Unable to parse the given JSON"),
        ("{\"metric\":[\"m\"]}", "Unable to parse the given JSON"),
        ("{\"metric\":{}}", "Unable to parse the given JSON"),
        ("{\"tags\":[]}", "Unable to parse the given JSON"),
        ("{\"tags\":{\"k\":{}}}", "Unable to parse the given JSON"),
        ("{\"timestamp\":true}", "Unable to parse the given JSON"),
        ("{\"timestamp\":\"12x\"}", "Unable to parse the given JSON"),
        ("{\"timestamp\":9223372036854775808}", "Unable to parse the given JSON"),
        ("{\"value\":01}", "Unable to parse the given JSON"),
        ("{\"value\":1.}", "Unable to parse the given JSON"),
        ("{\"value\":.5}", "Unable to parse the given JSON"),
        ("{\"value\":'1'}", "Unable to parse the given JSON"),
        ("{\"metric\":\"a\u{01}b\"}", "Unable to parse the given JSON"),
        ("{\"metric\":\"\\x\"}", "Unable to parse the given JSON"),
        ("{\"metric\":\"\\u12\"}", "Unable to parse the given JSON"),
        ("{/*c*/\"metric\":\"m\"}", "Unable to parse the given JSON"),
        ("{\"a\":1,}", "Unable to parse the given JSON"),
    ]

    @Test(arguments: bodyErrors)
    func bodyLevelErrors(body: String, message: String) {
        #expect(bodyError(body) == message)
    }

    @Test func invalidUTF8IsABodyError() {
        var bytes = Array(#"{"metric":"m"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"","timestamp":1,"value":1,"tags":{"k":"v"}}"#.utf8)
        #expect(throws: PutBodyError.self) { try parseJSONBytes(bytes) }
    }

    @Test func trailingContentIsIgnoredLikeJackson() throws {
        let items = try parseJSON(#"[{"metric":"m","timestamp":1,"value":1,"tags":{"k":"v"}}] trailing {garbage"#)
        #expect(items.count == 1)
    }

    @Test func deepNestingIsRejectedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(bodyError(deep) == "Unable to parse the given JSON")
        let junk = #"{"junk":"# + deep + "}"
        #expect(bodyError(junk) == "Unable to parse the given JSON")
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let body = #"{"junk":"# + ok + #","x":{"y":[1,"2",{"z":null}]},"metric":"m","timestamp":1,"value":1,"tags":{"k":"v"}}"#
        #expect(bodyError(body) == nil)
    }

    static let pointErrors: [(String, String, String)] = [
        (#"{"metric":"","timestamp":1,"value":1,"tags":{"a":"b"}}"#, "Metric name was empty",
         #"{"metric":"","timestamp":1,"value":"1","tags":{"a":"b"}}"#),
        (#"{"timestamp":1,"value":1,"tags":{"a":"b"}}"#, "Metric name was empty",
         #"{"timestamp":1,"value":"1","tags":{"a":"b"}}"#),
        (#"{"metric":"m","value":1,"tags":{"a":"b"}}"#, "Invalid timestamp", #"{"metric":"m","timestamp":0,"value":"1","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":-5,"value":1,"tags":{"a":"b"}}"#, "Invalid timestamp",
         #"{"metric":"m","timestamp":-5,"value":"1","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"tags":{"a":"b"}}"#, "Empty value", #"{"metric":"m","timestamp":1,"tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":"","tags":{"a":"b"}}"#, "Empty value",
         #"{"metric":"m","timestamp":1,"value":"","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":1}"#, "Missing tags", #"{"metric":"m","timestamp":1,"value":"1"}"#),
        (#"{"metric":"m","timestamp":1,"value":1,"tags":{}}"#, "Missing tags", #"{"metric":"m","timestamp":1,"value":"1","tags":{}}"#),
        (#"{"metric":"m","timestamp":1,"value":"abc","tags":{"a":"b"}}"#, "Unable to parse value to a number",
         #"{"metric":"m","timestamp":1,"value":"abc","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":NaN,"tags":{"a":"b"}}"#, "Unable to parse value to a number",
         #"{"metric":"m","timestamp":1,"value":"NaN","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":-Infinity,"tags":{"a":"b"}}"#, "Unable to parse value to a number",
         #"{"metric":"m","timestamp":1,"value":"-Infinity","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":true,"tags":{"a":"b"}}"#, "Unable to parse value to a number",
         #"{"metric":"m","timestamp":1,"value":"true","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":1E400,"tags":{"a":"b"}}"#,
         "value is NaN or Infinite: Infinity for metric=m timestamp=1", #"{"metric":"m","timestamp":1,"value":"1E400","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":4294967296,"value":1,"tags":{"a":"b"}}"#,
         "bad timestamp=4294967296 when trying to add value=[1]/0 to metric=m, tags={a=b}",
         #"{"metric":"m","timestamp":4294967296,"value":"1","tags":{"a":"b"}}"#),
        (#"{"metric":"m","timestamp":1,"value":1,"tags":{"a":null}}"#, "Invalid tag value with key [a]: null",
         #"{"metric":"m","timestamp":1,"value":"1","tags":{"a":null}}"#),
        (#"{"metric":"m!","timestamp":1,"value":1,"tags":{"a":null}}"#, "Invalid metric name (\"m!\"): illegal character: !",
         #"{"metric":"m!","timestamp":1,"value":"1","tags":{"a":null}}"#),
        (#"{"metric":"m","timestamp":1,"value":"x","tags":{"a":"b","tsuid":"x"},"tsuid":"0001"}"#,
         "Unable to parse value to a number", #"{"metric":"m","timestamp":1,"value":"x","tags":{"a":"b","tsuid":"x"},"tsuid":"0001"}"#),
    ]

    @Test(arguments: pointErrors)
    func perPointErrors(body: String, message: String, datapoint: String) throws {
        let (got, echo) = try Self.onlyFailure(body)
        #expect(got == message)
        #expect(echo == datapoint)
    }

    @Test func goodPointsSurviveBadNeighbours() throws {
        let body = """
            [{"metric":"a","timestamp":1,"value":1,"tags":{"k":"v"}},
             {"metric":"","timestamp":1,"value":1,"tags":{"k":"v"}},
             {"metric":"b","timestamp":2,"value":"2.5","tags":{"k":"v"}},
             {"metric":"c","timestamp":3,"value":"x","tags":{"k":"v"}}]
            """
        let items = try parseJSON(body)
        #expect(items.count == 4)
        guard case .point(let a) = items[0], case .failed = items[1], case .point(let b) = items[2], case .failed = items[3]
        else {
            Issue.record("unexpected \(items)")
            return
        }
        #expect(a.metric == "a")
        #expect(b.value == 2.5)
    }

    @Test func escapesAndUnicode() throws {
        let put = try Self.onlyPoint(
            #"{"metric":"sys\u002ecpu","timestamp":1,"value":1,"tags":{"caf\u00e9":"\ud83d\ude00","k\"":"a\\b\/c\n"}}"#)
        #expect(put.metric == "sys.cpu")
        #expect(put.tags == [Tag(key: "café", value: "😀"), Tag(key: "k\"", value: "a\\b/c\n")])
        guard case .failure(let error) = JSONPutParser.seriesKey(put, limits: PutLimits()) else {
            Issue.record("expected an error")
            return
        }
        // Java HashMap order puts `k"` first, so its bad character is reported before the emoji.
        #expect(error.message == "Invalid tag name with value [a\\b/c\n] (\"k\"\"): illegal character: \"")
        let emoji = try Self.onlyPoint(#"{"metric":"m","timestamp":1,"value":1,"tags":{"caf\u00e9":"\ud83d\ude00"}}"#)
        #expect(
            JSONPutParser.seriesKey(emoji, limits: PutLimits())
                == .failure(PutError(kind: .illegalArgument, message: "Invalid tag value with key [café] (\"😀\"): illegal character: 😀")))
        let lone = try Self.onlyPoint(#"{"metric":"m","timestamp":1,"value":1,"tags":{"k":"\ud800x"}}"#)
        #expect(lone.tags == [Tag(key: "k", value: "\u{FFFD}x")])
    }

    @Test func coercionsLikeJackson() throws {
        let put = try Self.onlyPoint(#"{"metric":123,"timestamp":1699920000.9,"value":"-0","tags":{"k":7,"b":false,"k":8},"extra":{"a":[1,2]}}"#)
        #expect(put.metric == "123")
        #expect(put.timestamp == 1_699_920_000)
        #expect(put.value == 0)
        #expect(put.tags == [Tag(key: "k", value: "8"), Tag(key: "b", value: "false")])
        let zero = try Self.onlyPoint(#"{"metric":"m","timestamp":1,"value":-0.0,"tags":{"k":"v"}}"#)
        #expect(zero.value.sign == .minus)
        let big = try Self.onlyPoint(#"{"metric":"m","timestamp":1,"value":12345678901234567890.5,"tags":{"k":"v"}}"#)
        #expect(big.value == 12345678901234567890.5)
    }

    @Test func seriesKeyChecksCountAndNames() throws {
        let many = try Self.onlyPoint(#"{"metric":"m","timestamp":1,"value":1,"tags":{"a":"1","b":"2","c":"3"}}"#)
        let error = JSONPutParser.seriesKey(many, limits: PutLimits(maxTags: 2))
        #expect(error == .failure(PutError(kind: .illegalArgument, message: "Too many tags: 3 maximum allowed: 2, tags: {a=1, b=2, c=3}")))
        let bad = try Self.onlyPoint(#"{"metric":"a b","timestamp":1,"value":1,"tags":{"k":"v"}}"#)
        guard case .failure(let e) = JSONPutParser.seriesKey(bad, limits: PutLimits()) else {
            Issue.record("expected an error")
            return
        }
        #expect(e.message == "Invalid metric name (\"a b\"): illegal character:  ")
        #expect(bad.datapointJSON == #"{"metric":"a b","timestamp":1,"value":"1","tags":{"k":"v"}}"#)
    }
}
