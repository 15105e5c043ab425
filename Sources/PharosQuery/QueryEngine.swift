public import PharosStorage
import PharosCore

/// Runs metric queries against the store: select series, read, downsample per series, group, aggregate.
///
/// Stateless and thread-safe. This is the foundation's engine (exact for aligned series); the OpenTSDB
/// query issue adds interpolation, rates, fill policies and the full filter language on top of it.
public struct QueryEngine: Sendable {
    public let store: MetricStore

    public init(store: MetricStore) {
        self.store = store
    }

    public func run(_ query: MetricQuery, startMs: Int64, endMs: Int64) throws -> [QueryResult] {
        let selected = store.series(metric: query.metric).filter { _, key in
            query.tags.allSatisfy { tagKey, wanted in
                guard let value = key.tagValue(tagKey) else { return false }
                return wanted == "*" || wanted.split(separator: "|").contains { $0 == value }
            }
        }
        if selected.isEmpty && store.series(metric: query.metric).isEmpty {
            throw QueryError("No such name for 'metrics': '\(query.metric)'")
        }
        let groupKeys = query.tags.filter { $0.value == "*" || $0.value.contains("|") }.keys.sorted()
        var groups: [[String]: [(SeriesRef, SeriesKey)]] = [:]
        for entry in selected {
            groups[groupKeys.map { entry.1.tagValue($0) ?? "" }, default: []].append(entry)
        }
        var results: [QueryResult] = []
        for (_, members) in groups.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var perTimestamp: [Int64: [Double]] = [:]
            for (ref, _) in members {
                let points = try store.read(ref, startMs: startMs, endMs: endMs)
                let (ts, vs) = query.downsample.map { $0.apply(points.timestamps, points.values, startMs: startMs) }
                    ?? (points.timestamps, points.values)
                for i in ts.indices { perTimestamp[ts[i], default: []].append(vs[i]) }
            }
            guard !perTimestamp.isEmpty else { continue }
            let times = perTimestamp.keys.sorted()
            let values = times.map { t in perTimestamp[t]!.withUnsafeBufferPointer { query.aggregator.reduce($0) } }
            let keys = members.map(\.1)
            var common: [String: String] = [:]
            for tag in keys[0].tags where keys.allSatisfy({ $0.tagValue(tag.key) == tag.value }) { common[tag.key] = tag.value }
            let aggregated = Set(keys.flatMap { $0.tags.map(\.key) }).subtracting(common.keys).sorted()
            results.append(
                QueryResult(metric: query.metric, tags: common, aggregateTags: aggregated, timestamps: times, values: values))
        }
        return results
    }
}
