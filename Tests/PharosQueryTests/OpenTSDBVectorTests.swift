import PharosCore
import Testing

@testable import PharosQuery

/// Every query vector of `opentsdb-vectors.md` (Q1–Q19), through the parser, engine and renderer.
@Suite struct OpenTSDBVectorTests {
    let q2 = MemorySource([Fixture.A([(10, 5), (30, 15), (50, 5)]), Fixture.B([(0, 10), (20, 20), (40, 10), (60, 20)])])

    @Test func q1AlignedIntegerSum() throws {
        let source = MemorySource([Fixture.A([(0, 5), (10, 5), (20, 10)]), Fixture.B([(0, 10), (10, 5), (20, 20)])])
        #expect(
            try Fixture.query(source, "sum:sys.cpu.user")
                == #"[{"metric":"sys.cpu.user","tags":{},"aggregateTags":["host"],"dps":{"1356998400":15,"1356998410":10,"1356998420":30}}]"#
        )
    }

    @Test func q2OffsetSeriesLerp() throws {
        #expect(
            try Fixture.dps(q2, "sum:sys.cpu.user")
                == #"{"1356998400":10,"1356998410":20,"1356998420":30,"1356998430":30,"1356998440":20,"1356998450":20,"1356998460":20}"#)
    }

    @Test func q3IntegerLerpTruncates() throws {
        let source = MemorySource([Fixture.A([(30, 1), (60, 2), (90, 3)]), Fixture.B([(45, 300), (75, 299)])])
        #expect(
            try Fixture.dps(source, "sum:sys.cpu.user")
                == #"{"1356998430":1,"1356998445":301,"1356998460":302,"1356998475":301,"1356998490":3}"#)
    }

    @Test(arguments: [
        ("zimsum", [10, 5, 20, 15, 10, 5, 20]), ("max", [10, 15, 20, 15, 10, 15, 20]), ("mimmax", [10, 5, 20, 15, 10, 5, 20]),
        ("min", [10, 5, 10, 15, 10, 5, 20]), ("mimmin", [10, 5, 20, 15, 10, 5, 20]), ("count", [1, 2, 2, 2, 2, 2, 1]),
        ("avg", [10, 10, 15, 15, 10, 10, 20]),
    ])
    func q4AggregatorsOnOffsetSeries(aggregator: String, expected: [Int]) throws {
        let body = (0..<7).map { "\"\(Fixture.T + Int64($0) * 10)\":\(expected[$0])" }.joined(separator: ",")
        #expect(try Fixture.dps(q2, "\(aggregator):sys.cpu.user") == "{" + body + "}")
    }

    @Test func q5IntegerAverageDivides() throws {
        let source = MemorySource([Fixture.A([(0, 1), (10, 2)]), Fixture.B([(0, 2), (10, 4)])])
        #expect(try Fixture.dps(source, "avg:sys.cpu.user") == #"{"1356998400":1,"1356998410":3}"#)
        let floats = MemorySource([Fixture.A([(0, 1), (10, 2)]), Fixture.B([(0, 2.5), (10, 4)])])
        #expect(try Fixture.dps(floats, "avg:sys.cpu.user") == #"{"1356998400":1.75,"1356998410":3.0}"#)
    }

    @Test func q6DownsampleThenGroup() throws {
        let times: [Int64] = [0, 10, 20, 30, 40, 50, 60]
        let source = MemorySource([
            Fixture.A(Array(zip(times, [5, 5, 10, 15, 20, 5, 1]))), Fixture.B(Array(zip(times, [10, 5, 20, 15, 10, 0, 5]))),
        ])
        #expect(
            try Fixture.dps(source, "sum:30s-sum:sys.cpu.user", end: 60)
                == #"{"1356998400":55.0,"1356998430":65.0,"1356998460":6.0}"#)
    }

    @Test(arguments: [
        ("10s-sum", #"{"1356998400":10.0,"1356998420":20.0,"1356998430":35.0,"1356998450":25.0,"1356998460":20.0}"#),
        (
            "10s-sum-nan",
            #"{"1356998400":10.0,"1356998410":"NaN","1356998420":20.0,"1356998430":15.0,"1356998440":"NaN","1356998450":5.0,"1356998460":20.0}"#
        ),
        (
            "10s-sum-null",
            #"{"1356998400":10.0,"1356998410":null,"1356998420":20.0,"1356998430":15.0,"1356998440":null,"1356998450":5.0,"1356998460":20.0}"#
        ),
        (
            "10s-sum-zero",
            #"{"1356998400":10.0,"1356998410":0.0,"1356998420":20.0,"1356998430":15.0,"1356998440":0.0,"1356998450":5.0,"1356998460":20.0}"#
        ),
    ])
    func q7FillPolicies(downsample: String, expected: String) throws {
        let source = MemorySource([Fixture.A([(30, 15), (50, 5)]), Fixture.B([(0, 10), (20, 20), (60, 20)])])
        #expect(try Fixture.dps(source, "sum:\(downsample):sys.cpu.user", end: 60) == expected)
    }

    @Test func q8SimpleRate() throws {
        let source = MemorySource([Fixture.A([(30, 30), (60, 60), (90, 90)])])
        #expect(try Fixture.dps(source, "sum:rate:sys.cpu.user") == #"{"1356998460":1.0,"1356998490":1.0}"#)
    }

    @Test func q9CounterWrap() throws {
        let source = MemorySource([Fixture.A([(30, 45), (60, 75), (90, 5)])])
        #expect(try Fixture.dps(source, "sum:rate{counter,100}:sys.cpu.user") == #"{"1356998460":1.0,"1356998490":1.0}"#)
    }

    @Test func q10ResetValue() throws {
        let source = MemorySource([Fixture.A([(30, 45), (60, 75), (90, 25)])])
        #expect(try Fixture.dps(source, "sum:rate{counter,10000,35}:sys.cpu.user") == #"{"1356998460":1.0,"1356998490":0.0}"#)
    }

    @Test func q11DropResets() throws {
        let source = MemorySource([Fixture.A([(30, 45), (60, 75), (90, 25), (120, 55)])])
        #expect(try Fixture.dps(source, "sum:rate{dropcounter,10000,35}:sys.cpu.user") == #"{"1356998460":1.0,"1356998520":1.0}"#)
    }

    @Test func q12NegativeDelta() throws {
        let source = MemorySource([Fixture.A([(30, 10), (60, 5)])])
        #expect(try Fixture.dps(source, "sum:rate:sys.cpu.user") == #"{"1356998460":-0.16666666666666666}"#)
        #expect(try Fixture.dps(source, "sum:rate{counter}:sys.cpu.user") == #"{"1356998460":3.0744573456182586E17}"#)
    }

    @Test func q13DownsampleThenRate() throws {
        let source = MemorySource([Fixture.A((1...10).map { (Int64($0) * 30, Double($0)) })])
        #expect(
            try Fixture.dps(source, "sum:1m-avg:rate:sys.cpu.user")
                == #"{"1356998460":0.025,"1356998520":0.03333333333333333,"1356998580":0.03333333333333333,"1356998640":0.03333333333333333,"1356998700":0.025}"#
        )
    }

    @Test func q14AllDownsampling() throws {
        let source = MemorySource([Fixture.A([(120, 4), (150, 5), (180, 6), (200, 100), (210, 7)])])
        #expect(try Fixture.dps(source, "sum:0all-sum:sys.cpu.user", start: 100, end: 200) == #"{"1356998500":15.0}"#)
    }

    @Test func q15InterpolationUsesPointsBeforeStart() throws {
        let source = MemorySource([Fixture.A([(0, 0), (60, 60)]), Fixture.B([(30, 100)])])
        #expect(try Fixture.dps(source, "sum:sys.cpu.user", start: 30, end: 60) == #"{"1356998430":130,"1356998460":60}"#)
    }

    @Test func q16MultiSeriesRateWithoutTheZeroSeed() throws {
        let source = MemorySource([Fixture.A([(0, 100), (10, 200), (20, 300)]), Fixture.B([(5, 1000), (15, 1100), (25, 1200)])])
        #expect(
            try Fixture.dps(source, "sum:rate:sys.cpu.user")
                == #"{"1356998410":10.0,"1356998415":20.0,"1356998420":20.0,"1356998425":10.0}"#)
    }
}
