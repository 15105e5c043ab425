import Foundation
import Logging
import PharosCodec
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Crash recovery without the daemon: the data directory is copied while the store is open (what
/// `kill -9` leaves behind), and the copy is opened.
@Suite struct RecoveryTests {
    @Test(arguments: [11, 12] as [UInt64])
    func everythingAppendedSurvivesACrash(seed: UInt64) throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var random = SplitMix64(seed: seed)
        var options = testOptions(dir.path)
        options.walSegmentBytes = 4096
        let store = try openStore(options)
        defer { store.close() }
        var refs: [SeriesRef] = []
        var model = Model()
        for phase in 0..<3 {
            // New series keep appearing, so some live only in WAL series records, others in the catalog.
            for i in 0..<3 { refs.append(try store.resolve(key("crash", ["phase": "\(phase)", "i": "\(i)"]))) }
            for _ in 0..<30 {
                var batch = SampleBatch()
                for _ in 0..<20 {
                    let ref = refs.randomElement(using: &random)!
                    let t = day0 + Int64(phase) * 5 * hourMs + Int64.random(in: 0..<(6 * hourMs), using: &random) / 1000 * 1000
                    let v = Double(Int.random(in: -500...500, using: &random))
                    batch.append(series: ref, timestampMs: t, value: v)
                    model.write(ref, t, v)
                }
                var scratch = AppendScratch()
                try store.append(batch, scratch: &scratch)
            }
            if phase == 0 { try store.flush() }
            if phase == 1 { try store.sealNow() }
        }

        let crashed = dir.snapshot()
        defer { crashed.remove() }
        var recovered = try openStore(testOptions(crashed.path))
        #expect(recovered.seriesCount == refs.count)
        #expect(recovered.walStats.tornRecords.value == 0)
        for ref in refs { expectSame(try recovered.readAll(ref), model.expected(ref), "recovered series \(ref.id)") }
        // And again after the recovered store seals everything and restarts cleanly.
        try recovered.flush()
        recovered.close()
        recovered = try openStore(testOptions(crashed.path))
        for ref in refs { expectSame(try recovered.readAll(ref), model.expected(ref), "re-reopened series \(ref.id)") }
        recovered.close()
    }

    @Test func crashWithATornTailKeepsEveryEarlierPoint() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("torn"))
        try store.write(ref, [(day0, 1), (day0 + 10_000, 2)])
        try store.write(ref, [(day0 + 20_000, 3)])
        let crashed = dir.snapshot()
        defer { crashed.remove() }
        // The last record is cut off mid-write.
        let segment = StorageLayout(root: crashed.path).walSegmentPath(store.wal.currentSegment)
        let bytes = readFile(segment)
        writeFile(segment, Array(bytes.dropLast(3)))
        let log = LogCapture()
        let recovered = try openStore(testOptions(crashed.path), log)
        defer { recovered.close() }
        #expect(recovered.walStats.tornRecords.value == 1)
        #expect(log.contains("cut a torn tail off a WAL segment"))
        expectSame(try recovered.readAll(ref), PointSeries(timestamps: [day0, day0 + 10_000], values: [1, 2]), "before the torn record")
        // New writes after recovery land in a new segment and survive the next restart.
        try recovered.write(ref, [(day0 + 30_000, 4)])
        let again = recovered.wal.currentSegment
        #expect(again == store.wal.currentSegment + 1)
    }

    @Test func samplesOfASeriesWhoseRecordWasLostAreDroppedNotMisattributed() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        let a = try store.resolve(key("lost", ["i": "a"]))
        let b = try store.resolve(key("lost", ["i": "b"]))
        try store.write(a, [(day0, 1)])
        try store.write(b, [(day0, 2)])
        // Crash before any seal or close, so the WAL is the only record of both series.
        let crashed = dir.snapshot()
        defer { crashed.remove() }
        store.close()
        // Corrupt the second series record (the second record of the first segment).
        let segment = StorageLayout(root: crashed.path).walSegmentPath(1)
        let bytes = readFile(segment)
        let firstLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let second = 8 + WALRecord.headerBytes + firstLength
        flipByte(segment, at: second + WALRecord.headerBytes + 3)
        let reopened = try openStore(testOptions(crashed.path))
        defer { reopened.close() }
        #expect(reopened.walStats.corruptRecords.value == 1)
        #expect(reopened.stats.droppedReplayPoints.value == 1)
        expectSame(try reopened.readAll(a), PointSeries(timestamps: [day0], values: [1]), "series a")
        #expect(try reopened.readAll(b).isEmpty)
        #expect(try reopened.resolve(key("lost", ["i": "a"])) == a)
    }

    /// Regression (fixed): the WAL replays records whose windows were already sealed; where a *newer* write of the same
    /// timestamp sat in a segment that was dropped, the replayed stale value overrides it.
    @Test func replayDoesNotResurrectOverwrittenValues() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let ref = try store.resolve(key("stale"))
        let t = day0 + hourMs  // window A = [00:00, 02:00)
        try store.write(ref, [(t, 1), (day0 + 3 * hourMs, 5)])  // segment 1 feeds A and B = [02:00, 04:00)
        try store.sealWindows(startingAt: day0)  // A is due and sealed; B stays open, so segment 1 stays
        try store.wal.cutSegment()  // a size rotation
        try store.write(ref, [(t, 2)])  // late rewrite: A generation 1, in segment 2
        try store.wal.cutSegment()
        try store.sealWindows(startingAt: day0)  // the late generation goes quiet and is sealed; segment 2 is dropped
        #expect(fileNames(dir.path + "/wal") == ["00000001.wal", "00000003.wal"])
        let expected = PointSeries(timestamps: [t, day0 + 3 * hourMs], values: [2, 5])
        expectSame(try store.readAll(ref), expected, "before the restart")
        store.close()

        store = try openStore(testOptions(dir.path))
        // Regression (was MetricStore+Recovery.swift:65-84 with MetricStore+Read.swift:42-46): replay puts (t, 1) from
        // segment 1 back into the head, and the head always wins over partitions, so the read returns 1; after the
        // next seal the stale value gets the highest partition id and wins for good.
        expectSame(try store.readAll(ref), expected, "after the restart")
        try store.flush()
        expectSame(try store.readAll(ref), expected, "after the restart and a flush")
        store.close()
    }

    /// Regression (fixed): `MetricStore.append` writes the WAL, then the head; a flush between the two can drop the segment
    /// holding the record, because the window it feeds is not open in the head yet.
    @Test func flushBetweenWALAndHeadDoesNotDropTheRecord() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("race"))
        var batch = SampleBatch()
        batch.append(series: ref, timestampMs: day0 + hourMs, value: 7)
        // MetricStore.append, split where another thread's flush can run: first the WAL part ...
        var record = ByteWriter()
        WALRecord.encodeSamples(batch, into: &record)
        var starts: [Int64] = []
        store.head.windowStarts(of: batch, into: &starts)
        // Both halves run under the append gate, as MetricStore.append runs them; a flush started in between
        // (cut, seal, drop segments whose windows are not live) must wait for the head half.
        let flushed = DispatchSemaphore(value: 0)
        try store.gate.shared {
            _ = try record.withUnsafeBytes { raw in try store.wal.append(raw, windows: starts) }
            Thread {
                try? store.flush()
                flushed.signal()
            }.start()
            var windows: [HeadWindow] = []
            store.head.append(batch, windows: &windows)
        }
        flushed.wait()
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0 + hourMs], values: [7]), "in the head")

        let crashed = dir.snapshot()
        defer { crashed.remove() }
        let recovered = try openStore(testOptions(crashed.path))
        defer { recovered.close() }
        // Regression (was MetricStore.swift:79-81 with MetricStore+Sealing.swift:16-19): the acknowledged point is neither in
        // a partition nor in the WAL any more, so `kill -9` loses it.
        expectSame(try recovered.readAll(ref), PointSeries(timestamps: [day0 + hourMs], values: [7]), "after the crash")
    }

    @Test func closeKeepsTheHeadInTheWALNotInPartitions() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let ref = try store.resolve(key("close"))
        try store.write(ref, [(day0, 1), (day0 + 3 * hourMs, 2)])
        store.close()
        #expect(fileNames(dir.path + "/metrics").isEmpty)
        store = try openStore(testOptions(dir.path))
        #expect(store.stats.replayedPoints.value == 2)
        #expect(store.pointsInHead == 2)
        #expect(try catalogSeriesCount(store) == 1, "close persists new series")
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 3 * hourMs], values: [1, 2]), "after close and reopen")
        store.close()
        #expect(fileNames(dir.path + "/wal") == ["00000001.wal", "00000002.wal"])
    }

    func catalogSeriesCount(_ store: MetricStore) throws -> Int { try store.catalog.loadSeries().count }
}
