import Foundation
import PharosCore
import PharosQuery
import PharosStorage
import Synchronization

/// An in-memory `MetricSource` for engine tests: series with fixed points, optional rollups.
final class MemorySource: MetricSource {
    struct Entry {
        var key: SeriesKey
        var timestamps: [Int64]
        var values: [Double]
    }

    let entries: [Entry]
    /// Whether `rollups` answers (computed from the raw points) instead of returning nil.
    let servesRollups: Bool
    let rollupCalls = Mutex(0)

    init(_ entries: [Entry], servesRollups: Bool = false) {
        self.entries = entries
        self.servesRollups = servesRollups
    }

    func series(metric: String) -> [(SeriesRef, SeriesKey)] {
        entries.indices.filter { entries[$0].key.metric == metric }.map { (SeriesRef(id: UInt32($0 + 1)), entries[$0].key) }
    }

    func key(of ref: SeriesRef) -> SeriesKey? {
        let index = Int(ref.id) - 1
        return entries.indices.contains(index) ? entries[index].key : nil
    }

    func read(_ ref: SeriesRef, startMs: Int64, endMs: Int64, into result: inout PointSeries) throws {
        result.removeAll()
        let entry = entries[Int(ref.id) - 1]
        for i in entry.timestamps.indices where entry.timestamps[i] >= startMs && entry.timestamps[i] <= endMs {
            result.timestamps.append(entry.timestamps[i])
            result.values.append(entry.values[i])
        }
    }

    func rollups(_ ref: SeriesRef, intervalMs: Int64, startMs: Int64, endMs: Int64) throws -> RollupBuckets? {
        guard servesRollups else { return nil }
        rollupCalls.withLock { $0 += 1 }
        var points = PointSeries()
        try read(ref, startMs: startMs, endMs: endMs, into: &points)
        var buckets = RollupBuckets(intervalMs: intervalMs)
        for i in points.timestamps.indices {
            let t = points.timestamps[i]
            let v = points.values[i]
            let start = t - t % intervalMs
            if buckets.starts.last == start {
                let k = buckets.count - 1
                buckets.counts[k] += 1
                buckets.sums[k] += v
                buckets.mins[k] = min(buckets.mins[k], v)
                buckets.maxs[k] = max(buckets.maxs[k], v)
                buckets.lasts[k] = v
            } else {
                buckets.starts.append(start)
                buckets.counts.append(1)
                buckets.sums.append(v)
                buckets.mins.append(v)
                buckets.maxs.append(v)
                buckets.firsts.append(v)
                buckets.lasts.append(v)
            }
        }
        return buckets
    }
}

/// Builders for the vectors' conventions: `T` = 2013-01-01T00:00:00Z, offsets in seconds.
enum Fixture {
    static let T: Int64 = 1_356_998_400

    static func series(_ tags: [String: String], _ points: [(Int64, Double)], metric: String = "sys.cpu.user") -> MemorySource.Entry {
        MemorySource.Entry(
            key: SeriesKey(metric: metric, tags: tags.map { Tag(key: $0.key, value: $0.value) }),
            timestamps: points.map { (T + $0.0) * 1000 }, values: points.map(\.1))
    }

    static func A(_ points: [(Int64, Double)]) -> MemorySource.Entry { series(["host": "web01"], points) }
    static func B(_ points: [(Int64, Double)]) -> MemorySource.Entry { series(["host": "web02"], points) }

    /// Runs `GET /api/query?start=T+start&end=T+end&m=…[&flags]` and renders the JSON body.
    static func query(
        _ source: MemorySource, _ m: String, start: Int64 = 0, end: Int64 = 3600, extra: [(String, String)] = []
    ) throws -> String {
        let parameters = [("start", String(T + start)), ("end", String(T + end)), ("m", m)] + extra
        let request = try QueryRequest(parameters: parameters, nowMs: (T + 7200) * 1000)
        let engine = QueryEngine(source: source)
        return QueryResultRenderer(request: request).render(try engine.run(request))
    }

    /// Just the `dps` object of a single-result response.
    static func dps(_ source: MemorySource, _ m: String, start: Int64 = 0, end: Int64 = 3600, extra: [(String, String)] = []) throws
        -> String
    {
        let json = try query(source, m, start: start, end: end, extra: extra)
        guard let range = json.range(of: "\"dps\":") else { return json }
        var text = json[range.upperBound...]
        text = text.dropLast(2)
        return String(text)
    }
}
