import PharosCore
import Synchronization
extension Head {
    /// Whether series `id` has head data overlapping the range; cheap (no decoding).
    func hasData(for id: UInt32, startMs: Int64, endMs: Int64) -> Bool {
        guard let series = registry.table[id] else { return false }
        return series.lock.withLock { _ in
            series.windows.contains { $0.window.endMs > startMs && $0.window.startMs <= endMs }
        }
    }

    /// The head's points of series `id`, each window's run in generation order so later writes win.
    func runs(of id: UInt32, startMs: Int64, endMs: Int64) throws -> [PointSeries] {
        guard let series = registry.table[id] else { return [] }
        let copies = series.lock.withLock { _ in
            series.windows.filter { $0.window.endMs > startMs && $0.window.startMs <= endMs }
        }
        var runs: [PointSeries] = []
        for window in copies.sorted(by: { ($0.window.generation, $0.window.id) < ($1.window.generation, $1.window.id) }) {
            var run = PointSeries()
            try window.points(into: &run)
            runs.append(run)
        }
        return runs
    }
}

extension Head {
    /// The time spans of the head windows that hold data of series `id`.
    func windowRanges(of id: UInt32) -> [(start: Int64, end: Int64)] {
        guard let series = registry.table[id] else { return [] }
        return series.lock.withLock { _ in series.windows.map { ($0.window.startMs, $0.window.endMs) } }
    }
}
