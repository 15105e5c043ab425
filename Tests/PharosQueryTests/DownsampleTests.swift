import Testing

@testable import PharosQuery

@Suite struct DownsampleParsingTests {
    @Test func parsesIntervalsAndAggregators() throws {
        let spec = try Downsample(parsing: "1m-avg")
        #expect(spec.intervalMs == 60_000 && spec.aggregator == .avg)
        #expect(try Downsample(parsing: "0all-count").intervalMs == nil)
    }
}
