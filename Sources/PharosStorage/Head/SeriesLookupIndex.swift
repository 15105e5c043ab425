public import PharosCore
import Synchronization

/// Name and tag indexes over every series of a store, for OpenTSDB's `/api/suggest` and
/// `/api/search/lookup` without touching SQLite.
///
/// Series ids are dense and never reused, so the index follows the store by reading the keys of ids it has
/// not seen yet at the start of each call: after a restart the first call indexes every series once, later
/// calls only the new ones. Holds sorted metric, tag key and tag value names plus id postings per metric,
/// tag key and tag value (ids ascending, which is TSUID order).
///
/// Thread-safe (one lock); calls can take a while after a restart, so callers keep them off event loops.
public final class SeriesLookupIndex: Sendable {
    private struct State {
        var indexed: UInt32 = 0
        var keys: [SeriesKey] = []
        var metrics = SortedNames()
        var tagKeys = SortedNames()
        var tagValues = SortedNames()
        var byMetric: [String: [UInt32]] = [:]
        var byTagKey: [String: [UInt32]] = [:]
        var byTagValue: [String: [UInt32]] = [:]
    }

    private let store: MetricStore
    private let state = Mutex(State())

    public init(store: MetricStore) {
        self.store = store
    }

    /// Up to `max` names of `kind` starting with `prefix`, in byte order (OpenTSDB's suggest).
    public func suggest(_ kind: SeriesLookupQuery.NameKind, prefix: String, max: Int) -> [String] {
        withCaughtUp { state in
            switch kind {
            case .metric: state.metrics.withPrefix(prefix, max: max)
            case .tagKey: state.tagKeys.withPrefix(prefix, max: max)
            case .tagValue: state.tagValues.withPrefix(prefix, max: max)
            }
        }
    }

    /// How many distinct names of each kind exist (OpenTSDB's `uid.ids-used`).
    public var nameCounts: (metrics: Int, tagKeys: Int, tagValues: Int) {
        withCaughtUp { ($0.metrics.count, $0.tagKeys.count, $0.tagValues.count) }
    }

    /// The series matching `query` in TSUID order, at most `limit` of them (all when `limit <= 0`).
    /// Throws when a named metric, tag key or tag value belongs to no series, as OpenTSDB does.
    public func lookup(_ query: SeriesLookupQuery, limit: Int) throws(SeriesLookupQuery.UnknownName) -> [(SeriesRef, SeriesKey)] {
        try withCaughtUp { (state) throws(SeriesLookupQuery.UnknownName) in
            try Self.lookup(query, limit: limit, in: &state)
        }
    }

    private func withCaughtUp<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        try state.withLock { (state) throws(E) -> T in
            for (id, key) in store.seriesKeys(from: state.indexed) {
                Self.add(key, id: id, to: &state)
            }
            return try body(&state)
        }
    }

    private static func add(_ key: SeriesKey, id: UInt32, to state: inout State) {
        state.keys.append(key)
        state.indexed = id + 1
        state.metrics.insert(key.metric)
        state.byMetric[key.metric, default: []].append(id)
        for tag in key.tags {
            state.tagKeys.insert(tag.key)
            state.tagValues.insert(tag.value)
            state.byTagKey[tag.key, default: []].append(id)
            state.byTagValue[tag.value, default: []].append(id)
        }
    }

    private static func lookup(
        _ query: SeriesLookupQuery, limit: Int, in state: inout State
    ) throws(SeriesLookupQuery.UnknownName) -> [(SeriesRef, SeriesKey)] {
        let filter = try SeriesLookupFilter(
            query, knownMetric: state.metrics.contains, knownKey: state.tagKeys.contains,
            knownValue: state.tagValues.contains)
        // Drive the scan from the shortest posting list every match must be in; build unions only when chosen.
        let (byMetric, byTagKey, byTagValue) = (state.byMetric, state.byTagKey, state.byTagValue)
        var best: (count: Int, ids: () -> [UInt32])?
        func consider(_ count: Int, _ ids: @escaping () -> [UInt32]) {
            if best == nil || count < best!.count { best = (count, ids) }
        }
        func anyOf(_ values: some Collection<String>) {
            let lists = values.map { byTagValue[$0] ?? [] }
            consider(lists.reduce(0) { $0 + $1.count }) { lists.count == 1 ? lists[0] : Self.union(lists) }
        }
        if let metric = filter.metric { consider(byMetric[metric]?.count ?? 0) { byMetric[metric] ?? [] } }
        for (key, values) in filter.keys {
            consider(byTagKey[key]?.count ?? 0) { byTagKey[key] ?? [] }
            // Listed values: the series carrying one of them (under any key) are often far fewer.
            if let values { anyOf(values) }
        }
        if !filter.anyOfValues.isEmpty { anyOf(filter.anyOfValues) }
        let ids = best?.ids() ?? Array(0..<UInt32(state.keys.count))
        var out: [(SeriesRef, SeriesKey)] = []
        for id in ids where filter.matches(state.keys[Int(id)]) {
            out.append((SeriesRef(id: id), state.keys[Int(id)]))
            if limit > 0 && out.count >= limit { break }
        }
        return out
    }

    /// The ascending, duplicate-free union of ascending id lists.
    private static func union(_ lists: [[UInt32]]) -> [UInt32] {
        Array(Set(lists.joined())).sorted()
    }
}
