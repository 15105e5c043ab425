import PharosCore
import Synchronization
extension Head {
    /// Appends a batch whose WAL record is already written. Points go to the open window of their time;
    /// a window that started sealing meanwhile is replaced by its next generation.
    func append(_ batch: SampleBatch, windows resolved: inout [HeadWindow]) {
        let chunkPoints = options.headChunkPoints
        var maxT = Int64.min
        var applied: Int64 = 0
        for i in 0..<batch.count {
            let id = batch.seriesIDs[i]
            let t = batch.timestamps[i]
            let v = batch.values[i]
            if t > maxT { maxT = t }
            let start = windowStart(t)
            let done = registry.table.withSeries(id) { series -> Bool in
                while true {
                    unowned(unsafe) let window = Self.find(start, in: resolved) ?? { () -> HeadWindow in
                        let opened = openWindow(start: start)
                        resolved.append(opened)
                        return opened
                    }()
                    let appended = series.lock.withLock { _ -> Bool in
                        if window.isSealing { return false }
                        let slot = series.slot(for: window)
                        series.windows[slot].append(timestampMs: t, value: v, chunkPoints: chunkPoints)
                        return true
                    }
                    if appended { return true }
                    // Sealing began: the next generation of this window takes the point.
                    resolved.removeAll { $0.isSealing }
                }
            }
            if done == true { applied += 1 }
        }
        pointsInHead.wrappingAdd(applied, ordering: .relaxed)
        var current = maxTimestampMs.load(ordering: .relaxed)
        while maxT > current {
            let (exchanged, original) = maxTimestampMs.compareExchange(expected: current, desired: maxT, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    @inline(__always)
    static func find(_ start: Int64, in windows: [HeadWindow]) -> HeadWindow? {
        for window in windows where window.startMs == start { return window }
        return nil
    }

    /// Distinct window starts of a batch (usually one or two), for the WAL's segment bookkeeping.
    func windowStarts(of batch: SampleBatch, into starts: inout [Int64]) {
        starts.removeAll(keepingCapacity: true)
        var last = Int64.min
        for t in batch.timestamps {
            let start = windowStart(t)
            if start == last { continue }
            last = start
            if !starts.contains(start) { starts.append(start) }
        }
    }
}
