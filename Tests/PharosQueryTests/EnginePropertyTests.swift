import PharosCore
import Synchronization
import Testing

@testable import PharosQuery

/// The engine against `ReferenceEngine` on seeded random series: misaligned timestamps, gaps, counters
/// with resets, for every aggregator × downsample × rate × fill combination the reference knows.
@Suite struct EnginePropertyTests {
    static let aggregators = ["sum", "zimsum", "pfsum", "min", "mimmin", "max", "mimmax", "avg", "count", "dev", "median"]
    static let downsamples: [String?] = [nil, "1m-avg", "1m-sum-nan", "30s-max-zero", "2m-count-null", "1m-min", "5m-avg"]
    static let rates: [String?] = [nil, "rate", "rate{counter,1000}", "rate{dropcounter,,}", "rate{counter,1000,5}"]

    static func randomSource(seed: UInt64, integral: Bool, counters: Bool) -> MemorySource {
        var rng = SplitMix64(seed: seed)
        var entries: [MemorySource.Entry] = []
        for s in 0..<Int.random(in: 1...5, using: &rng) {
            var t = Fixture.T * 1000 + Int64.random(in: -600_000...1_200_000, using: &rng)
            var v = Double(Int.random(in: 0...100, using: &rng))
            var points: [(Int64, Double)] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                t += Int64.random(in: 1...45_000, using: &rng) * (Int.random(in: 0..<10, using: &rng) == 0 ? 20 : 1)
                if counters {
                    v =
                        Int.random(in: 0..<12, using: &rng) == 0
                        ? Double(Int.random(in: 0...20, using: &rng)) : v + Double(Int.random(in: 0...50, using: &rng))
                } else {
                    v = integral ? Double(Int.random(in: -50...50, using: &rng)) : Double.random(in: -50...50, using: &rng)
                }
                points.append((t, v))
            }
            entries.append(
                MemorySource.Entry(
                    key: SeriesKey(metric: "m", tags: [Tag(key: "host", value: "h\(s)")]), timestamps: points.map(\.0),
                    values: points.map(\.1)))
        }
        return MemorySource(entries)
    }

    static func check(source: MemorySource, agg: String, downsample: String?, rate: String?, start: Int64, end: Int64) throws {
        let m = ([agg] + [downsample, rate].compactMap { $0 } + ["m"]).joined(separator: ":")
        let request = try QueryRequest(parameters: [("start", String(start)), ("end", String(end)), ("m", m)], nowMs: end)
        let results = try QueryEngine(source: source).run(request)
        let spec = try downsample.map { (text) throws(QueryError) in try DownsampleSpec(parsing: text) }
        let options = try rate.map { (text: String) throws(QueryError) -> RateOptions in
            guard let open = text.firstIndex(of: "{") else { return RateOptions() }
            return try RateOptions(parsing: text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        let expected = ReferenceEngine.run(
            source.entries.map { Array(zip($0.timestamps, $0.values)) }, agg: agg,
            downsample: spec.map { ($0.intervalMs, $0.aggregator.name, $0.fill.rawValue) }, rate: options, start: start, end: end)
        let got = results.first.map { r in r.timestamps.indices.map { (r.timestamps[$0], r.values[$0], r.integral[$0]) } } ?? []
        let label = "\(m) seed-data \(source.entries.map(\.timestamps.count))"
        #expect(results.count <= 1, "\(label)")
        #expect(got.map(\.0) == expected.map(\.0), "\(label)")
        for (g, e) in zip(got, expected) {
            let same = (g.1.isNaN && e.1.isNaN) || g.1 == e.1 || abs(g.1 - e.1) <= 1e-9 * max(1, abs(e.1))
            #expect(same && g.2 == e.2, "\(label) at \(g.0): \(g.1) vs \(e.1)")
            if !same { return }
        }
    }

    @Test(arguments: aggregators)
    func matchesReferenceOnGauges(agg: String) throws {
        for seed in UInt64(1)...6 {
            for downsample in Self.downsamples {
                let source = Self.randomSource(seed: seed &* 31 &+ UInt64(agg.count), integral: seed % 2 == 0, counters: false)
                let start = Fixture.T * 1000 + Int64(seed) * 7_000
                try Self.check(source: source, agg: agg, downsample: downsample, rate: nil, start: start, end: start + 1_500_000)
            }
        }
    }

    @Test(arguments: aggregators)
    func matchesReferenceOnCounterRates(agg: String) throws {
        for seed in UInt64(1)...4 {
            for downsample in Self.downsamples {
                for rate in Self.rates.compactMap({ $0 }) {
                    let source = Self.randomSource(seed: seed &* 97 &+ UInt64(agg.count), integral: true, counters: true)
                    let start = Fixture.T * 1000 + Int64(seed) * 11_000
                    try Self.check(source: source, agg: agg, downsample: downsample, rate: rate, start: start, end: start + 1_800_000)
                }
            }
        }
    }

    @Test(arguments: ["1h-avg", "2h-sum", "1h-min", "3h-max", "1h-count", "1h-first", "2h-last", "2h-avg-nan"])
    func rollupsGiveTheRawResult(downsample: String) throws {
        let base = Self.randomSource(seed: 42, integral: false, counters: false)
        let rolled = MemorySource(base.entries, servesRollups: true)
        let parameters = [("start", String(Fixture.T - 3600)), ("end", String(Fixture.T + 4 * 3600)), ("m", "sum:\(downsample):m")]
        let request = try QueryRequest(parameters: parameters, nowMs: 0)
        let raw = try QueryEngine(source: base).run(request)
        let fromRollups = try QueryEngine(source: rolled).run(request)
        #expect(rolled.rollupCalls.withLock { $0 } > 0)
        #expect(raw.map(\.timestamps) == fromRollups.map(\.timestamps))
        // Bit-identical: the raw path adds per-rollup-bucket partial sums in the rollup path's order.
        #expect(raw.map { $0.values.map(\.bitPattern) } == fromRollups.map { $0.values.map(\.bitPattern) })
    }

    @Test func rollupsAreNotAskedForRatesOrOddIntervals() throws {
        let rolled = MemorySource(Self.randomSource(seed: 7, integral: false, counters: false).entries, servesRollups: true)
        for m in ["sum:1h-avg:rate:m", "sum:1m-avg:m", "sum:30m-avg:m", "sum:1h-median:m", "sum:1hc-avg:m"] {
            let request = try QueryRequest(
                parameters: [("start", String(Fixture.T)), ("end", String(Fixture.T + 3600)), ("m", m)], nowMs: 0)
            _ = try QueryEngine(source: rolled).run(request)
        }
        #expect(rolled.rollupCalls.withLock { $0 } == 0)
    }
}
