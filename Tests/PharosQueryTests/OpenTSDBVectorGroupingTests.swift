import PharosCore
import Testing

@testable import PharosQuery

/// Vectors Q17–Q19: group-by output tags, order statistics, output switches and errors.
@Suite struct OpenTSDBVectorGroupingTests {
    let q17 = MemorySource([
        Fixture.series(["host": "web01", "dc": "lga"], [(0, 1)]), Fixture.series(["host": "web02", "dc": "lga"], [(0, 2)]),
        Fixture.series(["host": "web03", "dc": "sjc"], [(0, 3)]), Fixture.series(["host": "web01"], [(0, 4)]),
    ])

    @Test func q17GroupByWildcard() throws {
        #expect(
            try Fixture.query(q17, "sum:sys.cpu.user{dc=*}")
                == #"[{"metric":"sys.cpu.user","tags":{"dc":"lga"},"aggregateTags":["host"],"dps":{"1356998400":3}},"#
                + #"{"metric":"sys.cpu.user","tags":{"dc":"sjc","host":"web03"},"aggregateTags":[],"dps":{"1356998400":3}}]"#)
    }

    @Test func q17LiteralKeepsSeriesWithExtraTags() throws {
        #expect(
            try Fixture.query(q17, "sum:sys.cpu.user{host=web01}")
                == #"[{"metric":"sys.cpu.user","tags":{"dc":"lga","host":"web01"},"aggregateTags":[],"dps":{"1356998400":5}}]"#)
    }

    @Test func q17NoFilterAggregatesEverything() throws {
        #expect(
            try Fixture.query(q17, "sum:sys.cpu.user")
                == #"[{"metric":"sys.cpu.user","tags":{},"aggregateTags":["dc","host"],"dps":{"1356998400":10}}]"#)
    }

    @Test func q17ExplicitTags() throws {
        #expect(
            try Fixture.query(q17, "sum:explicit_tags:sys.cpu.user{host=*}")
                == #"[{"metric":"sys.cpu.user","tags":{"host":"web01"},"aggregateTags":[],"dps":{"1356998400":4}}]"#)
    }

    @Test func q17NonGroupingFilter() throws {
        #expect(
            try Fixture.query(q17, "sum:sys.cpu.user{}{dc=literal_or(lga)}")
                == #"[{"metric":"sys.cpu.user","tags":{"dc":"lga"},"aggregateTags":["host"],"dps":{"1356998400":3}}]"#)
    }

    @Test func q17NoneAggregatorKeepsSeriesApart() throws {
        #expect(
            try Fixture.query(q17, "none:sys.cpu.user{dc=lga}")
                == #"[{"metric":"sys.cpu.user","tags":{"dc":"lga","host":"web01"},"aggregateTags":[],"dps":{"1356998400":1}},"#
                + #"{"metric":"sys.cpu.user","tags":{"dc":"lga","host":"web02"},"aggregateTags":[],"dps":{"1356998400":2}}]"#)
    }

    static let q18Floats: [(String, Double)] = [
        ("sum", 10), ("avg", 2.5), ("min", 1), ("max", 4), ("count", 4), ("median", 3), ("p50", 2.5), ("p75", 3.75), ("p90", 4),
        ("p99", 4), ("ep75r7", 3.25), ("dev", 1.118033988749895), ("mult", 24), ("diff", 3),
    ]

    /// Q18 with float inputs: Pharos stores 1.0 as 1, so the double path is checked on the reducer itself.
    @Test(arguments: q18Floats)
    func q18OrderStatisticsOnDoubles(name: String, expected: Double) throws {
        var values: [Double] = [1, 2, 3, 4]
        #expect(try #require(Aggregator.named(name)).reduce(&values, count: 4) == expected)
    }

    @Test(arguments: [("sum", "10"), ("avg", "2"), ("median", "3"), ("p50", "2"), ("dev", "1"), ("count", "4")])
    func q18OrderStatisticsOnIntegers(name: String, expected: String) throws {
        let source = MemorySource((1...4).map { Fixture.series(["host": "h\($0)"], [(0, Double($0))]) })
        #expect(try Fixture.dps(source, "\(name):sys.cpu.user") == #"{"1356998400":"# + expected + "}")
    }

    let q1 = MemorySource([Fixture.A([(0, 5), (10, 5), (20, 10)]), Fixture.B([(0, 10), (10, 5), (20, 20)])])

    @Test func q19MillisecondKeys() throws {
        #expect(
            try Fixture.dps(q1, "sum:sys.cpu.user", extra: [("ms", "")]) == #"{"1356998400000":15,"1356998410000":10,"1356998420000":30}"#)
    }

    @Test func q19Arrays() throws {
        #expect(
            try Fixture.query(q1, "sum:sys.cpu.user", extra: [("arrays", "")])
                == #"[{"metric":"sys.cpu.user","tags":{},"aggregateTags":["host"],"dps":[[1356998400,15],[1356998410,10],[1356998420,30]]}]"#
        )
    }

    @Test func q19ShowTSUIDs() throws {
        let json = try Fixture.query(q1, "sum:sys.cpu.user", extra: [("show_tsuids", "")])
        #expect(json.contains(#""aggregateTags":["host"],"tsuids":["000000000001","000000000002"],"dps""#))
    }

    @Test func q19NoDataIsAnEmptyArray() throws {
        #expect(try Fixture.query(q1, "sum:sys.cpu.user", start: 1000, end: 2000) == "[]")
        #expect(try Fixture.query(q1, "sum:sys.cpu.user{host=nope}") == "[]")
    }

    @Test func q19UnknownMetric() throws {
        #expect(throws: QueryError("No such name for 'metrics': 'nope'")) { try Fixture.query(q1, "sum:nope") }
    }
}
