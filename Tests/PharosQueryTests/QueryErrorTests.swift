import Foundation
import Testing

@testable import PharosQuery

/// Every 400 the parser and engine give, with OpenTSDB's exact message.
@Suite struct QueryErrorTests {
    static let now: Int64 = 1_356_998_400_000

    static func get(_ pairs: [(String, String)]) throws(QueryError) -> QueryRequest {
        try QueryRequest(parameters: pairs, nowMs: now)
    }

    @Test(
        arguments: [
            ([("m", "sum:m")], "Missing start time"),
            ([("start", "1h-ago")], "Missing sub queries"),
            ([("start", "1h-ago"), ("m", "bogus:m")], "No such aggregation function: bogus"),
            ([("start", "0.1s-ago"), ("m", "sum:m")], "Zero or negative duration: 0.1s"),
            ([("start", "0s-ago"), ("m", "sum:m")], "Zero or negative duration: 0s"),
            ([("start", "s-ago"), ("m", "sum:m")], "Invalid duration (number): s"),
            ([("start", "1h-ago"), ("tz", "Mars/Base"), ("m", "sum:m")], "Unknown time zone: Mars/Base"),
            ([("start", "1x-ago"), ("m", "sum:m")], "Invalid units in the duration: x"),
            ([("start", "abc"), ("m", "sum:m")], "Invalid time: abc. Invalid character 'a' in abc"),
            ([("start", "2013/01/01-12"), ("m", "sum:m")], "Invalid absolute date: 2013/01/01-12"),
            (
                [("start", "1356998400"), ("end", "1356998300"), ("m", "sum:m")],
                "End time [1356998300000] must be greater than the start time [1356998400000]"
            ),
            ([("start", "1h-ago"), ("m", "sum:1m-none:m")], "cannot use the NONE aggregator for downsampling"),
            ([("start", "1h-ago"), ("m", "sum:1m-bogus:m")], "No such downsampling function: bogus"),
            ([("start", "1h-ago"), ("m", "sum:1m-avg-bogus:m")], "Unrecognized fill policy: bogus"),
            ([("start", "1h-ago"), ("m", "sum:1m:m")], "Invalid downsampling specifier '1m'"),
            ([("start", "1h-ago"), ("m", "sum:rate{counter,abc}:m")], "Max value of counter was not a number, received 'abc'"),
            ([("start", "1h-ago"), ("m", "sum:rate{counter,1,abc}:m")], "Reset value of counter was not a number, received 'abc'"),
            ([("start", "1h-ago"), ("m", "sum:m{host=bogus(x)}")], "Could not find a filter plugin of type: bogus"),
            ([("start", "1h-ago"), ("m", "sum:m{host=not_key(x)}")], "The filter must be empty for not_key"),
            ([("start", "1h-ago"), ("m", "sum:m{host}")], "Invalid tag filter: host"),
            ([("start", "1h-ago"), ("m", "sum:bogus_part:m")], "Unrecognized m parameter part: bogus_part"),
            ([("start", "1h-ago"), ("m", "sum:percentiles[99]:m")], "Percentiles need histogram data, which Pharos does not store"),
        ] as [([(String, String)], String)])
    func getErrors(parameters: [(String, String)], message: String) {
        #expect(throws: QueryError(message)) { try Self.get(parameters) }
    }

    @Test(arguments: [
        ("{", "Unable to parse the given JSON"),
        (#"{"queries":[{"aggregator":"sum","metric":"m"}]}"#, "Missing start time"),
        (#"{"start":1356998400}"#, "Missing queries"),
        (#"{"start":1356998400,"queries":[]}"#, "Missing queries"),
        (#"{"start":1356998400,"queries":[{"metric":"m"}]}"#, "Missing the aggregation function"),
        (#"{"start":1356998400,"queries":[{"aggregator":"nope","metric":"m"}]}"#, "No such aggregation function: nope"),
        (#"{"start":1356998400,"queries":[{"aggregator":"sum"}]}"#, "Missing the metric or tsuids"),
        (
            #"{"start":1356998400,"queries":[{"aggregator":"sum","metric":"m","filters":[{"type":"x","tagk":"h","filter":"a"}]}]}"#,
            "Could not find a filter plugin of type: x"
        ),
        (
            #"{"start":1356998400,"queries":[{"aggregator":"sum","metric":"m","filters":[{"type":"wildcard","tagk":"h","filter":"a"}]}]}"#,
            "Filter must contain an asterisk"
        ),
        (
            #"{"start":1356998400,"queries":[{"aggregator":"sum","metric":"m","filters":[{"type":"regexp","tagk":"h","filter":"("}]}]}"#,
            "Invalid regular expression: ("
        ),
        (
            #"{"start":"yesterday","queries":[{"aggregator":"sum","metric":"m"}]}"#,
            "Invalid time: yesterday. Invalid character 'y' in yesterday"
        ),
        (
            #"{"start":1356998400,"timezone":"Mars/Base","queries":[{"aggregator":"sum","metric":"m","downsample":"1dc-sum"}]}"#,
            "Unknown time zone: Mars/Base"
        ),
    ])
    func postErrors(body: String, message: String) throws {
        do {
            let request = try QueryRequest(json: Data(body.utf8), nowMs: Self.now)
            _ = try QueryEngine(source: MemorySource([Fixture.A([(0, 1)])])).run(request)
            Issue.record("no error for \(body)")
        } catch {
            #expect(error.message == message)
            #expect(error.code == 400)
        }
    }

    @Test func unknownMetricAndTSUID() throws {
        let engine = QueryEngine(source: MemorySource([Fixture.A([(0, 1)])]))
        #expect(throws: QueryError("No such name for 'metrics': 'nope'")) {
            try engine.run(try Self.get([("start", "1h-ago"), ("m", "sum:nope")]))
        }
        #expect(throws: QueryError("No such name for 'tsuids': '0000000000FF'")) {
            try engine.run(try Self.get([("start", "1h-ago"), ("tsuid", "sum:0000000000FF")]))
        }
    }
}
