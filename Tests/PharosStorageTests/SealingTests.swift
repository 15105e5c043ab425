import Foundation
import Logging
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Sealing head windows into partition files: `flush`, the files and catalog rows it leaves, WAL segment drops.
@Suite struct SealingTests {
    /// Three series over three 2 h windows of one day (with an out-of-order point and a rewrite).
    static func writeThreeWindows(_ store: MetricStore, _ model: inout Model) throws -> [SeriesRef] {
        let refs = try (0..<3).map { try store.resolve(key("seal.m", ["s": "\($0)"])) }
        for (index, ref) in refs.enumerated() {
            var points: [(Int64, Double)] = []
            for window in [0, 1, 2] as [Int64] {
                for i in 0..<40 as Range<Int64> {
                    points.append((day0 + window * 2 * hourMs + i * 60_000, Double(index * 1000) + Double(window * 100 + i)))
                }
            }
            points.append((day0 + 30 * 60_000 + 1, -1))  // out of order inside window 0
            points.append((day0 + 2 * hourMs, 0.5))  // rewrite of window 1's first point
            for (t, v) in points { model.write(ref, t, v) }
            try store.write(ref, points)
        }
        return refs
    }

    static func verify(_ store: MetricStore, _ refs: [SeriesRef], _ model: Model, _ context: String) throws {
        for ref in refs { expectSame(try store.readAll(ref), model.expected(ref), "\(context), series \(ref.id)") }
    }

    @Test func flushEmptiesTheHeadWritesPartitionsAndDropsTheWAL() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        options.walSegmentBytes = 512  // several segments before the flush
        let store = try openStore(options)
        var model = Model()
        let refs = try Self.writeThreeWindows(store, &model)
        #expect(store.pointsInHead == 3 * 122)
        #expect(store.walSegmentCount > 3)
        #expect(store.partitionCount == 0)

        try store.flush()

        #expect(store.pointsInHead == 0)
        #expect(store.head.windows.withLock { $0.open.isEmpty && $0.sealing.isEmpty })
        // The three window partitions of one UTC day were compacted into one (flush compacts too).
        #expect(store.partitionCount == 1)
        #expect(store.stats.partitionsSealed.value == 3)
        #expect(store.stats.compactions.value == 1)
        #expect(partitionFileNames(dir.path + "/metrics") == ["p1699920000000-00000004.part"])
        // Only the new current WAL segment remains, holding just its header.
        let current = store.wal.currentSegment
        #expect(store.walSegmentCount == 1)
        #expect(fileNames(dir.path + "/wal") == [StorageLayout.padded(UInt64(current), width: 8) + ".wal"])
        #expect(readFile(StorageLayout(root: dir.path).walSegmentPath(current)) == WAL.magic)
        // Catalog rows: the partition, one index row per series, every series.
        let rows = try store.catalog.loadPartitions()
        #expect(rows.count == 1)
        let (record, entries) = try #require(rows.first)
        #expect(record.id == 4)
        #expect(record.startMs == day0 && record.endMs == day0 + dayMs)
        #expect(record.fileName == "p1699920000000-00000004.part")
        #expect(record.seriesCount == 3)
        #expect(record.pointCount == Int64(model.pointCount))
        #expect(record.byteSize == Int64(fileSize(dir.path + "/metrics/" + record.fileName)))
        #expect(entries.map(\.seriesID) == [0, 1, 2])
        #expect(entries.map(\.pointCount) == [121, 121, 121])
        #expect(entries.allSatisfy { $0.minTimestampMs == day0 && $0.maxTimestampMs == day0 + 4 * hourMs + 39 * 60_000 })
        #expect(try store.catalog.loadSeries().map { $0.1 } == ["seal.m{s=0}", "seal.m{s=1}", "seal.m{s=2}"])
        try Self.verify(store, refs, model, "after flush")

        // A restart replays nothing and serves the same points from the partition.
        store.close()
        let reopened = try openStore(options)
        defer { reopened.close() }
        #expect(reopened.stats.replayedPoints.value == 0)
        #expect(reopened.pointsInHead == 0)
        #expect(reopened.partitionCount == 1)
        try Self.verify(reopened, refs, model, "after reopen")
    }

    @Test func sealingWritesOnePartitionPerWindowAtomically() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        var model = Model()
        let refs = try Self.writeThreeWindows(store, &model)
        try store.sealNow()
        #expect(store.pointsInHead == 0)
        #expect(
            partitionFileNames(dir.path + "/metrics") == [
                "p1699920000000-00000001.part", "p1699927200000-00000002.part", "p1699934400000-00000003.part",
            ])
        #expect(store.partitionSnapshot.map(\.id) == [1, 2, 3])
        #expect(store.partitionSnapshot.map(\.startMs) == [day0, day0 + 2 * hourMs, day0 + 4 * hourMs])
        #expect(store.partitionSnapshot.allSatisfy { $0.endMs == $0.startMs + 2 * hourMs })
        #expect(!fileNames(dir.path + "/metrics").contains { $0.hasSuffix(".tmp") })
        #expect(try store.catalog.loadPartitions().map { $0.0.id } == [1, 2, 3])
        // Each file starts with its header: magic, version, 0, start, end.
        for partition in store.partitionSnapshot {
            let bytes = readFile(partition.path)
            #expect(Array(bytes.prefix(8)) == Array("PHPART".utf8) + [1, 0])
            #expect(bytes[8..<16].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } == partition.startMs)
            #expect(bytes[16..<24].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } == partition.endMs)
        }
        try Self.verify(store, refs, model, "after sealing")
    }

    /// Sealing while a window is still current must not lose the points that arrive after it.
    @Test func pointsAfterASealGoToANewGenerationAndWin() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("gen"))
        try store.write(ref, [(day0, 1), (day0 + 1000, 2)])
        try store.sealNow()
        try store.write(ref, [(day0 + 1000, 20), (day0 + 500, 5)])  // late: same window, sealed
        let window = try #require(store.head.windows.withLock { $0.open[day0] })
        #expect(window.generation == 1)
        #expect(window.isLate)
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 500, day0 + 1000], values: [1, 5, 20]), "head over partition")
        try store.sealNow()
        #expect(store.partitionCount == 2)
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 500, day0 + 1000], values: [1, 5, 20]), "newer partition wins")
        try store.write(ref, [(day0 + 1000, 200)])
        #expect(store.head.windows.withLock { $0.open[day0]?.generation } == 2)
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 500, day0 + 1000], values: [1, 5, 200]), "generation 2")
    }

    /// Without `everything`, only windows the out-of-order window has left behind are sealed.
    @Test func sealDueSealsOnlyWindowsBehindTheOutOfOrderWindow() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        let store = try openStore(options)
        let ref = try store.resolve(key("due"))
        try store.write(ref, [(day0, 1), (day0 + 2 * hourMs, 2), (day0 + 4 * hourMs + 30 * 60_000, 3)])
        try store.sealNow(everything: false)
        #expect(store.partitionCount == 0, "the test options' out-of-order window keeps everything open")
        store.close()

        // With a 1 h out-of-order window and the newest point at 04:30, window 00:00–02:00 is due
        // (02:00 + 1 h ≤ 04:30), window 02:00–04:00 is not (04:00 + 1 h > 04:30).
        options.outOfOrderWindowMs = hourMs
        let reopened = try openStore(options)
        defer { reopened.close() }
        try reopened.sealNow(everything: false)
        #expect(reopened.partitionSnapshot.map(\.startMs) == [day0])
        #expect(reopened.head.windows.withLock { Set($0.open.keys) } == [day0 + 2 * hourMs, day0 + 4 * hourMs])
        expectSame(
            try reopened.readAll(ref), PointSeries(timestamps: [day0, day0 + 2 * hourMs, day0 + 4 * hourMs + 30 * 60_000], values: [1, 2, 3]),
            "partially sealed")
    }

    /// A seal that fails (here: the temporary file cannot be created) must be retried by the next one.
    @Test func failedSealIsRetried() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("retry"))
        try store.write(ref, [(day0, 1), (day0 + 1000, 2)])
        let blocker = dir.path + "/metrics/p1699920000000-00000001.part.tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        #expect(throws: StorageError.self) { try store.flush() }
        try FileManager.default.removeItem(atPath: blocker)
        // Nothing is lost meanwhile: the head still serves the points.
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 1000], values: [1, 2]), "after the failed seal")

        try store.flush()
        // Regression (was MetricStore+Sealing.swift:41 / Head.swift:62-74): `beginSealing` moved the window from `open` to
        // `sealing` before the write failed, and `windowsDueForSealing` only looks at `open`, so the window is never
        // sealed again: flush() returns with the points still in the head, and their WAL segments are never dropped.
        #expect(store.pointsInHead == 0)
        #expect(store.partitionCount == 1)
        expectSame(try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 1000], values: [1, 2]), "after the retry")
    }
}
