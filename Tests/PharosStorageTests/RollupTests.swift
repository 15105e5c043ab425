import Foundation
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Rollups must give exactly what a raw downsample gives, whatever mix of partitions, late data and head
/// the range touches.
@Suite struct RollupTests {
    static let hourMs: Int64 = 3_600_000
    static let day0: Int64 = 1_699_920_000_000  // 2023-11-14T00:00:00Z

    /// The obviously-correct computation: raw points of the range, bucketed and reduced in time order.
    static func expected(_ store: MetricStore, _ ref: SeriesRef, startMs: Int64, endMs: Int64) throws -> RollupBuckets {
        let points = try store.read(ref, startMs: startMs, endMs: endMs)
        var out = RollupBuckets(intervalMs: hourMs)
        var i = 0
        while i < points.count {
            let bucket = points.timestamps[i] - points.timestamps[i] % hourMs
            var values: [Double] = []
            while i < points.count && points.timestamps[i] < bucket + hourMs {
                values.append(points.values[i])
                i += 1
            }
            var sum = 0.0
            for v in values { sum += v }
            out.append(start: bucket, count: Int64(values.count), sum: sum, min: values.min()!, max: values.max()!, first: values.first!, last: values.last!)
        }
        return out
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func rollupsEqualRawAcrossPartitionsLateDataAndHead(seed: UInt64) throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        var rng = SplitMix64(seed: seed)
        let ref = try store.resolve(key("rollup"))
        // Two days of 10 s points with decimal values, sealed and compacted.
        var points: [(Int64, Double)] = []
        for i in 0..<(2 * 8640) {
            points.append((Self.day0 + Int64(i) * 10_000, Double(Int(rng.next() % 100_000)) / 100))
        }
        try store.write(ref, points)
        try store.flush()
        // Late rewrites into a sealed hour (a second partition for that window), then more data in the head.
        try store.write(ref, [(Self.day0 + 5 * Self.hourMs + 10_000, -1.5), (Self.day0 + 5 * Self.hourMs + 20_000, 7.25)])
        try store.maintenance.withLock { _ in try store.sealDue(everything: true) }
        try store.write(ref, (0..<100).map { (Self.day0 + 2 * 86_400_000 + Int64($0) * 10_000, Double($0)) })
        for (start, end) in [
            (Self.day0, Self.day0 + 3 * 86_400_000), (Self.day0 + 1234, Self.day0 + 86_400_000 + 999_999),
            (Self.day0 + 4 * Self.hourMs, Self.day0 + 7 * Self.hourMs - 1), (Self.day0 + 47 * Self.hourMs, Self.day0 + 49 * Self.hourMs),
        ] {
            let rolled = try #require(try store.rollups(ref, intervalMs: Self.hourMs, startMs: start, endMs: end))
            let raw = try Self.expected(store, ref, startMs: start, endMs: end)
            #expect(rolled.starts == raw.starts)
            #expect(rolled.counts == raw.counts)
            #expect(rolled.sums.map(\.bitPattern) == raw.sums.map(\.bitPattern), "sums must be bit-identical")
            #expect(rolled.mins == raw.mins && rolled.maxs == raw.maxs)
            #expect(rolled.firsts == raw.firsts && rolled.lasts == raw.lasts)
        }
        #expect(try store.rollups(ref, intervalMs: 60_000, startMs: Self.day0, endMs: Self.day0 + Self.hourMs) == nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/metrics")
        #expect(files.filter { $0.hasSuffix(".rollup") }.count == files.filter { $0.hasSuffix(".part") }.count)
    }
}
