import Synchronization
import PharosCore

/// The in-memory part of the store: every series' points that are not in a sealed partition yet.
///
/// Thread-safe. Appenders lock the series they write (each `MemSeries` has its own lock), never a global
/// lock; the window map has its own lock, taken once per batch. See `Head+Append.swift`, `Head+Read.swift`.
final class Head: Sendable {

    let options: StorageOptions
    let registry: SeriesRegistry
    let windows = Mutex<WindowMap>(WindowMap())
    let maxTimestampMs = Atomic<Int64>(Int64.min)
    let pointsInHead = Atomic<Int64>(0)
    private let nextWindowID = Atomic<UInt64>(1)

    struct WindowMap {
        /// Windows that take new points, by start.
        var open: [Int64: HeadWindow] = [:]
        /// Windows being written to a partition; still read from the head until that partition is published.
        var sealing: [HeadWindow] = []
        /// Highest generation ever used per start (a sealed start gets a new generation for late points).
        var generations: [Int64: Int] = [:]
    }

    init(options: StorageOptions, registry: SeriesRegistry) {
        self.options = options
        self.registry = registry
    }

    @inline(__always)
    func windowStart(_ timestampMs: Int64) -> Int64 {
        let width = options.partitionDurationMs
        let rem = timestampMs % width
        return rem < 0 ? timestampMs - rem - width : timestampMs - rem
    }

    /// The open window for `start`, opening a new one (a new generation if `start` was sealed before).
    func openWindow(start: Int64) -> HeadWindow {
        windows.withLock { map in
            if let window = map.open[start] { return window }
            let generation = map.generations[start].map { $0 + 1 } ?? 0
            map.generations[start] = generation
            let window = HeadWindow(
                id: nextWindowID.wrappingAdd(1, ordering: .relaxed).oldValue, startMs: start,
                endMs: start + options.partitionDurationMs, generation: generation)
            map.open[start] = window
            return window
        }
    }

    /// Starts of every window still in the head (open or being sealed); WAL segments feeding them stay.
    var liveWindowStarts: Set<Int64> {
        windows.withLock { map in Set(map.open.keys).union(map.sealing.map(\.startMs)) }
    }

    /// Windows to seal now: current ones once the newest timestamp has left them behind by the
    /// out-of-order window, late generations once they have been open for `lateQuietMs`, or all with `everything`.
    func windowsDueForSealing(everything: Bool, lateQuiet: Duration = .seconds(30)) -> [HeadWindow] {
        let maxT = maxTimestampMs.load(ordering: .relaxed)
        let now = ContinuousClock.now
        return windows.withLock { map in
            // Windows still in `sealing` when maintenance runs are seals that failed: retry them first.
            map.sealing
                + map.open.values.filter { window in
                    if everything { return true }
                    if window.isLate { return window.openedAt.duration(to: now) >= lateQuiet }
                    return maxT != Int64.min && window.endMs + options.outOfOrderWindowMs <= maxT
                }
                .sorted { ($0.startMs, $0.generation) < ($1.startMs, $1.generation) }
        }
    }

    /// Stops `window` taking points. The caller holds the append gate exclusively, so no append is in
    /// flight and the window's contents are frozen from here on.
    func beginSealing(_ window: HeadWindow) {
        window.markSealing()
        windows.withLock { map in
            if map.open[window.startMs] === window { map.open[window.startMs] = nil }
            map.sealing.append(window)
        }
    }

    /// Drops a sealed window's data once its partition is readable.
    func finishSealing(_ window: HeadWindow) {
        var removed: Int64 = 0
        for id in window.memberIDs {
            guard let series = registry.table[id] else { continue }
            series.lock.withLock { _ in
                if let index = series.windows.firstIndex(where: { $0.window === window }) {
                    removed += Int64(series.windows[index].pointCount)
                    series.windows.remove(at: index)
                }
            }
        }
        pointsInHead.wrappingSubtract(removed, ordering: .relaxed)
        windows.withLock { map in map.sealing.removeAll { $0 === window } }
    }

    /// Encoded chunks and remaining points of every member of a frozen window, by series id.
    func frozenContents(of window: HeadWindow) -> [(UInt32, SeriesWindow)] {
        window.memberIDs.sorted().compactMap { id -> (UInt32, SeriesWindow)? in
            guard let series = registry.table[id] else { return nil }
            return series.lock.withLock { _ in
                series.windows.first { $0.window === window }.map { (id, $0) }
            }
        }
    }
}
