import Foundation
import Logging
import PharosCore
import Synchronization

extension SpanStore {
    /// Seals everything in the head now and returns once it is in partitions (`POST /api/admin/flush`).
    public func flush() throws(StorageError) {
        try cutActiveHead()
        try sealPending()
    }

    /// Seals every queued head, oldest first; the sealer thread and `flush` both come through here, one at a time.
    func sealPending() throws(StorageError) {
        sealLock.lock()
        defer { sealLock.unlock() }
        while let next = state.withLock({ $0.stopped ? nil : $0.sealing.first }) { try seal(next) }
    }

    /// Moves the active head to the sealing queue; the WAL segment is cut so the head's spans are exactly
    /// those of the segments below the new one.
    func cutActiveHead() throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            guard !state.active.spans.isEmpty else { return }
            try wal.cutSegment()
            state.sealing.append(Sealing(head: state.active, walBelow: wal.currentSegment, hourMs: state.activeHourMs))
            state.active = SpanHead()
            state.activeHourMs = Self.hourMs(Self.nowMs())
            state.headVersion &+= 1
        }
    }

    func runSealer() {
        var lastRetention: Int64 = 0
        while true {
            _ = wake.wait(timeout: .now() + .seconds(10))
            if state.withLock({ $0.stopped }) { break }
            let now = Self.nowMs()
            // A head still queued means the last seal failed: retry it before cutting another.
            let due = state.withLock { state in
                state.sealing.isEmpty
                    && (state.active.spans.count >= options.headMaxSpans
                        || (!state.active.spans.isEmpty && Self.hourMs(now) != state.activeHourMs))
            }
            do throws(StorageError) {
                if due { try cutActiveHead() }
                try sealPending()
            } catch {
                logger.error("span sealing failed; the spans stay in the head and the WAL", metadata: ["error": "\(error)"])
            }
            // Retention runs even while sealing fails: on a full disk it is what frees space.
            if now - lastRetention >= 60_000 {
                lastRetention = now
                do { try applyRetention(nowMs: now) } catch {
                    logger.error("span retention failed", metadata: ["error": "\(error)"])
                }
            }
        }
        sealerDone.signal()
    }

    /// Writes one sealing head as a partition, indexes it, swaps it in for the head and drops its WAL segments.
    private func seal(_ sealing: Sealing) throws(StorageError) {
        let started = DispatchTime.now()
        let id = try catalog.nextPartitionID()
        let fileName = layout.spanPartitionFileName(hourMs: sealing.hourMs, id: id)
        let path = layout.spanPartitionPath(fileName)
        var summary = try SpanPartitionWriter().write(sealing.head, to: path)
        // Partitions only: holding the heads would make the next append copy the active head's spans.
        let sealed = state.withLock { Snapshot(heads: [], partitions: $0.partitions, headVersion: $0.headVersion) }
        summary.links = sealLinks(sealing.head, sealed)
        let row = SpanCatalog.PartitionRow(id: id, fileName: fileName, hourMs: sealing.hourMs, walBelow: sealing.walBelow)
        // Opened before it is indexed: a file that cannot be read back must not become a partition.
        let partition: SpanPartition
        do {
            partition = try SpanPartition(id: id, hourMs: sealing.hourMs, path: path)
            try catalog.commit(row, summary)
        } catch {
            try? FileIO.remove(path)
            throw error
        }
        let older = state.withLock { state in
            state.partitions[id] = partition
            state.sealing.removeFirst()
            state.headVersion &+= 1
            return state.partitions.values.filter { $0.id <= id - Self.partitionsKeptDecoded }
        }
        for partition in older { partition.releaseMemory() }
        wal.dropSegments(openWindows: [], below: sealing.walBelow)
        partitionsSealed.add(1)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        sealSeconds.record(seconds: seconds)
        logger.debug(
            "sealed span partition",
            metadata: ["file": "\(fileName)", "spans": "\(summary.spanCount)", "bytes": "\(summary.byteSize)", "seconds": "\(seconds)"])
    }

    /// Deletes partitions whose hour ended before the retention period (by the wall clock).
    func applyRetention(nowMs: Int64) throws(StorageError) {
        guard let retention = options.retentionMs else { return }
        let cutoff = nowMs - retention
        let expired = state.withLock { state in state.partitions.values.filter { $0.hourMs + 3_600_000 <= cutoff } }
        for partition in expired {
            try catalog.remove(partition: partition.id)
            state.withLock { state in
                state.partitions.removeValue(forKey: partition.id)
                state.headVersion &+= 1
            }
            try? FileIO.remove(partition.path)
            partitionsExpired.add(1)
        }
        if !expired.isEmpty { logger.info("span retention removed partitions", metadata: ["count": "\(expired.count)"]) }
    }
}
