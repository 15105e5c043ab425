import Testing

@testable import PharosQuery

/// OpenTSDB's time forms.
@Suite struct TimeParsingTests {
    static let now: Int64 = 1_356_998_400_000

    @Test(
        arguments: [
            ("now", now), ("1h-ago", now - 3_600_000), ("100ms-ago", now - 100), ("2w-ago", now - 1_209_600_000),
            ("1356998400", 1_356_998_400_000), ("1356998400123", 1_356_998_400_123), ("1356998400.5", 1_356_998_400_500),
            ("1356998400.250", 1_356_998_400_250), ("2013/01/01", 1_356_998_400_000), ("2013/01/01-12:00", 1_357_041_600_000),
            ("2013/01/01 12:00", 1_357_041_600_000), ("2013/01/01-12:00:30", 1_357_041_630_000), ("2013/01/01 12:00:30", 1_357_041_630_000),
            ("1500ms", 1500),
        ] as [(String, Int64)])
    func parses(text: String, expected: Int64) throws {
        #expect(try QueryTime.parse(text, nowMs: Self.now) == expected)
    }

    @Test func absoluteDatesUseTheTimezone() throws {
        #expect(try QueryTime.parse("2013/01/01-12:00", nowMs: Self.now, timezone: "America/New_York") == 1_357_059_600_000)
    }

    @Test func calendarBucketsAnchorInTheZone() throws {
        let day: Int64 = 86_400_000
        let starts = try CalendarBuckets.starts(
            unit: "d", count: 1, fromMs: 1_356_998_400_000, toMs: 1_356_998_400_000 + 2 * day, timezone: nil)
        #expect(starts == [1_356_998_400_000, 1_356_998_400_000 + day, 1_356_998_400_000 + 2 * day])
        let ny = try CalendarBuckets.starts(
            unit: "d", count: 1, fromMs: 1_356_998_400_000, toMs: 1_356_998_400_000 + day, timezone: "America/New_York")
        let midnight: Int64 = 1_356_930_000_000  // midnight of Dec 31 in New York
        #expect(Array(ny.prefix(2)) == [midnight, midnight + day], "\(ny)")
    }

    @Test func calendarDownsampleInAQuery() throws {
        // Two points on Jan 1 and one on Jan 2 (UTC): 1dc-sum gives one bucket per day at midnight.
        let source = MemorySource([Fixture.A([(3600, 1), (7200, 2), (90000, 4)])])
        #expect(try Fixture.dps(source, "sum:1dc-sum:sys.cpu.user", end: 100_000) == #"{"1356998400":3.0,"1357084800":4.0}"#)
    }
}
