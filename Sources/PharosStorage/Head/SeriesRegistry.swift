import Synchronization
import PharosCore

/// Every series the store knows, by key and by id, with a metric → ids index for selection.
///
/// Thread-safe (one lock). Only cache misses of the ingest path and series selection come here; the hot
/// path finds series through its connection's `SeriesRefCache` and the lock-free `SeriesTable`.
final class SeriesRegistry: Sendable {
    private struct State {
        var byKey: [SeriesKey: UInt32] = [:]
        var keys: [SeriesKey] = []
        var byMetric: [String: [UInt32]] = [:]
        var unpersisted: [UInt32] = []
    }

    private let state = Mutex(State())
    let table = SeriesTable()

    var count: Int { state.withLock { $0.keys.count } }

    /// The id of `key`, creating the series when new; `onCreate` runs under the lock before the id is visible
    /// to anyone else (the store writes the WAL series record there).
    func resolve(_ key: SeriesKey, onCreate: (UInt32, SeriesKey) throws(StorageError) -> Void) throws(StorageError) -> (UInt32, Bool) {
        try state.withLock { (state) throws(StorageError) -> (UInt32, Bool) in
            if let id = state.byKey[key] { return (id, false) }
            let id = UInt32(state.keys.count)
            try onCreate(id, key)
            register(&state, id: id, key: key)
            state.unpersisted.append(id)
            return (id, true)
        }
    }

    /// Restores a series from the catalog or the WAL at start-up. Ids are dense; a gap (a series record
    /// lost to a corrupt WAL record) is filled with a placeholder series so later ids keep their meaning.
    /// Returns false when `id` is already taken by another key (the caller reports the conflict).
    @discardableResult
    func restore(id: UInt32, key: SeriesKey, persisted: Bool) -> Bool {
        state.withLock { state in
            if let existing = state.byKey[key] { return existing == id }
            if Int(id) < state.keys.count { return false }
            while state.keys.count < Int(id) {
                let filler = UInt32(state.keys.count)
                register(&state, id: filler, key: SeriesKey(metric: "pharos.lost_series", tags: [Tag(key: "id", value: String(filler))]))
            }
            register(&state, id: id, key: key)
            if !persisted { state.unpersisted.append(id) }
            return true
        }
    }

    var nextID: UInt32 { state.withLock { UInt32($0.keys.count) } }

    private func register(_ state: inout State, id: UInt32, key: SeriesKey) {
        state.byKey[key] = id
        state.keys.append(key)
        state.byMetric[key.metric, default: []].append(id)
        table.insert(MemSeries(id: id, key: key))
    }

    func key(_ id: UInt32) -> SeriesKey? {
        state.withLock { Int(id) < $0.keys.count ? $0.keys[Int(id)] : nil }
    }

    func ids(metric: String) -> [UInt32] {
        state.withLock { $0.byMetric[metric] ?? [] }
    }

    var metrics: [String] { state.withLock { Array($0.byMetric.keys) } }

    /// Series created since the last call, for the catalog; put back with `requeue` if persisting fails.
    func takeUnpersisted() -> [(UInt32, SeriesKey)] {
        state.withLock { state in
            defer { state.unpersisted.removeAll() }
            return state.unpersisted.map { ($0, state.keys[Int($0)]) }
        }
    }

    func requeue(_ ids: [UInt32]) {
        state.withLock { $0.unpersisted.insert(contentsOf: ids, at: 0) }
    }
}
