import PharosCore
import Testing

@testable import PharosIngest

/// The `/api/put` fast path must agree with the full parser whenever it accepts a body.
@Suite struct JSONPutFastParserTests {
    static func fast(_ text: String, maxTags: Int = 8) -> [RawPut]? {
        var puts: [RawPut] = []
        let ok = Array(text.utf8).withUnsafeBytes { JSONPutFastParser.parse($0, maxTags: maxTags, into: &puts) }
        return ok ? puts : nil
    }

    @Test func commonShapeGivesRangesAndNumbers() throws {
        let body = #"[{"metric":"node_load1","timestamp":1699920000,"value":0.53,"tags":{"host":"host-0001","dc":"dc2"}}, "#
            + #" {"tags":{"a":"b"},"value":-42,"timestamp":1699920000123,"metric":"m.x"}]"#
        let puts = try #require(Self.fast(body))
        #expect(puts.count == 2)
        let bytes = Array(body.utf8)
        #expect(String(decoding: bytes[puts[0].metric], as: UTF8.self) == "node_load1")
        #expect(String(decoding: bytes[puts[0].tags], as: UTF8.self) == #"{"host":"host-0001","dc":"dc2"}"#)
        #expect(puts[0].timestampMs == 1_699_920_000_000 && puts[0].value == 0.53)
        #expect(puts[1].timestampMs == 1_699_920_000_123 && puts[1].value == -42)
        #expect(String(decoding: bytes[puts[1].tags], as: UTF8.self) == #"{"a":"b"}"#)
    }

    @Test(arguments: [
        "", "[]", "{}", "[{}]", "hello",
        #"{"metric":"m","timestamp":1,"value":1,"tags":{"a":"b"}} x"#,  // trailing garbage: the full parser decides
        #"{"metric":"m","timestamp":1,"value":"1","tags":{"a":"b"}}"#,  // string value
        #"{"metric":"m","timestamp":1,"value":1e3,"tags":{"a":"b"}}"#,  // exponent
        #"{"metric":"m","timestamp":1,"value":NaN,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":1,"value":007,"tags":{"a":"b"}}"#,  // not JSON
        #"{"metric":"m","timestamp":1,"value":1.,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":1.5,"value":1,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":0,"value":1,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":5000000000,"value":1,"tags":{"a":"b"}}"#,  // neither s nor valid ms
        #"{"metric":"m","timestamp":1,"value":1,"tags":{}}"#,
        #"{"metric":"","timestamp":1,"value":1,"tags":{"a":"b"}}"#,
        #"{"metric":"m\u0041","timestamp":1,"value":1,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":1,"value":1,"tags":{"a":"b"},"tsuid":"x"}"#,
        #"{"metric":"m","metric":"n","timestamp":1,"value":1,"tags":{"a":"b"}}"#,
        #"{"metric":"m","timestamp":1,"value":1,"tags":{"1":"1","2":"2","3":"3","4":"4","5":"5","6":"6","7":"7","8":"8","9":"9"}}"#,
    ])
    func unusualBodiesGoToTheFullParser(_ body: String) {
        #expect(Self.fast(body) == nil)
    }

    @Test func agreesWithTheFullParserOnRandomBodies() throws {
        var rng = SplitMix64(seed: 20_261_125)
        var accepted = 0
        for _ in 0..<3000 {
            var points: [String] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let ts = Bool.random(using: &rng) ? String(Int.random(in: 1...4_294_967_295, using: &rng))
                    : String(Int64.random(in: 1_000_000_000_000...9_999_999_999_999, using: &rng))
                let value = [String(Int.random(in: -1_000_000...1_000_000, using: &rng)),
                    String(format2(Double.random(in: -1000...1000, using: &rng))), "0.1", "-0", "007"].randomElement(using: &rng)!
                let tags = (0..<Int.random(in: 1...3, using: &rng)).map { #""k\#($0)":"v\#(Int.random(in: 0...9, using: &rng))""# }
                points.append(#"{"metric":"sys.m\#(Int.random(in: 0...3, using: &rng))","timestamp":\#(ts),"value":\#(value),"tags":{\#(tags.joined(separator: ","))}}"#)
            }
            let body = "[" + points.joined(separator: ",") + "]"
            guard let fast = Self.fast(body) else { continue }
            accepted += 1
            let bytes = Array(body.utf8)
            let full = try bytes.withUnsafeBytes { try JSONPutParser.parse($0, limits: PutLimits()) }
            #expect(full.count == fast.count)
            for (item, raw) in zip(full, fast) {
                guard case .point(let put) = item else {
                    Issue.record("fast path accepted a point the full parser rejects: \(body)")
                    continue
                }
                #expect(put.metric == String(decoding: bytes[raw.metric], as: UTF8.self))
                #expect(put.rawTags == raw.tags)
                #expect(put.timestampMs == raw.timestampMs)
                #expect(put.value.bitPattern == raw.value.bitPattern, "\(body)")
            }
        }
        #expect(accepted > 1000)
    }

    private func format2(_ value: Double) -> String {
        let cents = Int((value * 100).rounded())
        let sign = cents < 0 ? "-" : ""
        let magnitude = abs(cents)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// "-0" without a dot is an integer in OpenTSDB (parseLong), so both paths must give +0.0.
@Suite struct NegativeZeroTests {
    @Test func integerMinusZeroIsPositiveZeroOnEveryPath() throws {
        let line = Array("put m 1700000000 -0 host=a".utf8)
        let fast = try #require(line.withUnsafeBytes { TelnetPutParser.parseFast($0) })
        #expect(fast.value.bitPattern == 0)
        let strict = try line.withUnsafeBytes { try TelnetPutParser.parseStrict($0, limits: PutLimits()).get() }
        #expect(strict.1.value.bitPattern == 0)
        let json = try #require(JSONPutFastParserTests.fast(#"{"metric":"m","timestamp":1,"value":-0,"tags":{"a":"b"}}"#))
        #expect(json[0].value.bitPattern == 0)
        let decimal = try #require(JSONPutFastParserTests.fast(#"{"metric":"m","timestamp":1,"value":-0.0,"tags":{"a":"b"}}"#))
        #expect(decimal[0].value.bitPattern == (-0.0).bitPattern)
    }
}
