#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Logging
import PharosCodec
import Synchronization
import PharosCore

/// The write-ahead log: segment files of checksummed records, written before any acknowledgement.
///
/// Thread-safe: `append` may be called from any thread; records of concurrent callers never interleave.
/// A record is in the OS page cache when `append` returns (it survives `kill -9`); `whenDurable` tells when
/// an `fdatasync` has also covered it. Segments are dropped once every head window they fed is sealed.
final class WAL: Sendable {
    static let magic: [UInt8] = Array("PHWAL".utf8) + [1, 0, 0]  // 5 magic bytes, version 1, 2 reserved

    private struct Segment {
        var index: UInt32
        /// Head windows (by start time) that records of this segment wrote into.
        var windows: Set<Int64>
    }

    private struct State: ~Copyable {
        var writer: FileWriter?
        var current: Segment
        var closed: [Segment] = []
        /// Bytes ever appended by this process; an acknowledgement's sequence number.
        var writtenSequence: UInt64 = 0
        var syncedSequence: UInt64 = 0
        var waiters: [(sequence: UInt64, callback: @Sendable (Result<Void, StorageError>) -> Void)] = []
        var stopped = false
        var dirty = false
    }

    private let layout: StorageLayout
    private let options: StorageOptions
    private let logger: Logger
    private let state: Mutex<State>
    private let wakeSyncer = DispatchSemaphore(value: 0)
    private let syncerDone = DispatchSemaphore(value: 0)
    let stats: WALStats

    /// Opens the log for appending after `replay` has run; starts a new segment after the last one.
    init(
        layout: StorageLayout, options: StorageOptions, nextSegment: UInt32, existing: [(UInt32, Set<Int64>)], stats: WALStats,
        logger: Logger
    ) throws(StorageError) {
        self.layout = layout
        self.stats = stats
        self.options = options
        self.logger = logger
        let writer = try WAL.openSegment(layout: layout, index: nextSegment)
        var state = State(writer: writer, current: Segment(index: nextSegment, windows: []))
        // Segments from before the restart go like any other once the windows they fed are sealed.
        state.closed = existing.map { Segment(index: $0.0, windows: $0.1) }
        self.state = Mutex(state)
        stats.bytesWritten.add(Int64(WAL.magic.count))
        let thread = Thread { [self] in self.runSyncer() }
        thread.start()
    }

    private static func openSegment(layout: StorageLayout, index: UInt32) throws(StorageError) -> FileWriter {
        let writer = try FileWriter(path: layout.walSegmentPath(index), truncate: true)
        try writer.write(magic)
        return writer
    }

    /// Appends framed records; `windows` are the head windows (by start) that the records fill.
    /// Returns the sequence number to pass to `whenDurable`.
    func append(_ bytes: UnsafeRawBufferPointer, windows: some Sequence<Int64>) throws(StorageError) -> UInt64 {
        try state.withLock { (state) throws(StorageError) -> UInt64 in
            guard let writer = state.writer else { throw StorageError(.io, "the write-ahead log is closed") }
            if writer.offset + Int64(bytes.count) > Int64(options.walSegmentBytes) && writer.offset > Int64(WAL.magic.count) {
                try rotate(&state)
            }
            try state.writer!.write(bytes)
            for window in windows { state.current.windows.insert(window) }
            state.writtenSequence &+= UInt64(bytes.count)
            state.dirty = true
            stats.bytesWritten.add(Int64(bytes.count))
            return state.writtenSequence
        }
    }

    private func rotate(_ state: inout State) throws(StorageError) {
        guard let old = state.writer else { return }
        // Open the next segment first: if that fails, the current one stays usable.
        let next = state.current.index + 1
        let writer = try WAL.openSegment(layout: layout, index: next)
        if options.fsync != .never {
            do { try old.sync() } catch {
                writer.close()
                try? FileIO.remove(layout.walSegmentPath(next))
                throw error
            }
            stats.fsyncs.add(1)
        }
        old.close()
        state.closed.append(state.current)
        state.writer = writer
        state.current = Segment(index: next, windows: [])
        state.syncedSequence = state.writtenSequence
        stats.segmentsCreated.add(1)
    }

    /// Calls `callback` once the record that ended at `sequence` is durable under the configured fsync mode,
    /// or, with `force`, once an fsync covers it whatever the mode (OpenTSDB's `?sync`).
    func whenDurable(_ sequence: UInt64, force: Bool, _ callback: @escaping @Sendable (Result<Void, StorageError>) -> Void) {
        guard options.fsync == .always || (force && options.fsync != .never) else { return callback(.success(())) }
        let ready = state.withLock { state -> Bool in
            if state.syncedSequence >= sequence { return true }
            state.waiters.append((sequence, callback))
            return false
        }
        if ready { callback(.success(())) } else { wakeSyncer.signal() }
    }

    /// Where the next record will go; with appends held off (the append gate), everything before it is applied.
    var position: WALPosition {
        state.withLock { WALPosition(segment: $0.current.index, offset: $0.writer?.offset ?? 0) }
    }

    /// Index of the segment being written now.
    var currentSegment: UInt32 { state.withLock { $0.current.index } }

    /// Drops closed segments before `below` none of whose windows is still open in the head. Callers
    /// pass the current segment as it was before they persisted the series catalog, so no series record
    /// written after that goes with a dropped segment.
    func dropSegments(openWindows: Set<Int64>, below: UInt32) {
        let doomed = state.withLock { state -> [UInt32] in
            var keep: [Segment] = []
            var doomed: [UInt32] = []
            for segment in state.closed {
                if segment.index < below && segment.windows.isDisjoint(with: openWindows) {
                    doomed.append(segment.index)
                } else {
                    keep.append(segment)
                }
            }
            state.closed = keep
            return doomed
        }
        for index in doomed {
            do { try FileIO.remove(layout.walSegmentPath(index)) } catch {
                logger.warning("cannot remove WAL segment", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Closes the current segment so that everything written so far can be dropped once sealed.
    func cutSegment() throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            if let writer = state.writer, writer.offset > Int64(WAL.magic.count) { try rotate(&state) }
        }
    }

    var segmentCount: Int { state.withLock { $0.closed.count + 1 } }

    func close() {
        let alreadyStopped = state.withLock { $0.stopped }
        guard !alreadyStopped else { return }
        let writer = state.withLock { state -> FileWriter? in
            state.stopped = true
            let writer = state.writer
            state.writer = nil
            return writer
        }
        wakeSyncer.signal()
        syncerDone.wait()
        if let writer {
            if options.fsync != .never { try? writer.sync() }
            writer.close()
        }
    }

    private func runSyncer() {
        defer { syncerDone.signal() }
        while true {
            if options.fsync == .always {
                wakeSyncer.wait()
            } else {
                _ = wakeSyncer.wait(timeout: .now() + .milliseconds(options.fsyncIntervalMs))
            }
            let job = state.withLock { state -> (fd: Int32, sequence: UInt64, stopped: Bool)? in
                if state.stopped { return (-1, 0, true) }
                guard state.dirty || !state.waiters.isEmpty, let writer = state.writer else { return nil }
                state.dirty = false
                return (dup(writer.fd), state.writtenSequence, false)
            }
            guard let job else { continue }
            if job.stopped { break }
            if options.fsync == .never {
                Glibc.close(job.fd)
                continue
            }
            let started = ContinuousClock.now
            let failed = job.fd < 0 || fdatasync(job.fd) != 0
            let error = failed ? StorageError.posix("sync", path: "write-ahead log") : nil
            if job.fd >= 0 { Glibc.close(job.fd) }
            stats.fsyncs.add(1)
            stats.fsyncSeconds.record(started.duration(to: .now))
            let ready = state.withLock { state -> [@Sendable (Result<Void, StorageError>) -> Void] in
                if error == nil { state.syncedSequence = max(state.syncedSequence, job.sequence) }
                let synced = state.syncedSequence
                var ready: [@Sendable (Result<Void, StorageError>) -> Void] = []
                state.waiters.removeAll { waiter in
                    guard waiter.sequence <= synced || error != nil else { return false }
                    ready.append(waiter.callback)
                    return true
                }
                return ready
            }
            for callback in ready { callback(error.map { .failure($0) } ?? .success(())) }
        }
        let leftovers = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.callback)
        }
        for callback in leftovers { callback(.failure(StorageError(.io, "the write-ahead log was closed before it synced"))) }
    }
}
