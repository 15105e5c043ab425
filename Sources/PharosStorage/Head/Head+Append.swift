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
            guard let series = registry.table[id] else { continue }
            applied += 1
            let start = windowStart(t)
            var window = Self.find(start, in: resolved) ?? { () -> HeadWindow in
                let opened = openWindow(start: start)
                resolved.append(opened)
                return opened
            }()
            while true {
                let appended = stripes[Int(id) % Self.stripeCount].withLock { _ -> Bool in
                    if window.isSealing { return false }
                    let slot = series.slot(for: window)
                    series.windows[slot].append(timestampMs: t, value: v, chunkPoints: chunkPoints)
                    return true
                }
                if appended { break }
                resolved.removeAll { $0 === window }
                window = openWindow(start: start)
                resolved.append(window)
            }
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
