import Foundation
import Logging
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Damaged partition files and catalog/directory disagreements: reported, never silently wrong, and
/// never fatal for the open.
@Suite struct CorruptionTests {
    struct Fixture {
        let dir: TempDirectory
        let refs: [SeriesRef]
        let model: Model
        let big: Partition.Summary
        let small: Partition.Summary
    }

    /// 40 series × 600 random points in window 00:00 (several LZ4 pages), 5 of them also in window 02:00.
    static func makeFixture(_ dir: TempDirectory) throws -> Fixture {
        let store = try openStore(testOptions(dir.path))
        var random = SplitMix64(seed: 21)
        var model = Model()
        let refs = try (0..<40).map { try store.resolve(key("corrupt", ["i": "\($0)"])) }
        for ref in refs {
            let points = (0..<600).map { i in (day0 + Int64(i) * 10_000, Double(bitPattern: random.next() >> 2)) }
            for (t, v) in points { model.write(ref, t, v) }
            try store.write(ref, points)
        }
        for ref in refs.prefix(5) {
            let points = (0..<50).map { i in (day0 + 2 * hourMs + Int64(i) * 10_000, Double(i)) }
            for (t, v) in points { model.write(ref, t, v) }
            try store.write(ref, points)
        }
        try store.flush()  // one compacted partition, and an empty WAL so nothing replays
        try store.write(refs[0], [(day0 + 2 * hourMs, -1)])
        model.write(refs[0], day0 + 2 * hourMs, -1)
        for ref in refs {
            try store.write(ref, [(day0 + 3 * hourMs, Double(ref.id))])
            model.write(ref, day0 + 3 * hourMs, Double(ref.id))
        }
        try store.wal.cutSegment()
        try store.maintenance.withLock { (_) throws(StorageError) in
            try store.sealDue(everything: true)  // a second, small partition for the late point
        }
        let partitions = store.partitionSnapshot
        store.close()
        #expect(partitions.count == 2)
        return Fixture(dir: dir, refs: refs, model: model, big: partitions[0].summary, small: partitions[1].summary)
    }

    @Test func flippedPageByteFailsThatSeriesWithCorruptNamingTheFile() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let fixture = try Self.makeFixture(dir)
        let pages = Set(fixture.big.entries.values.map(\.pageOffset)).sorted()
        #expect(pages.count >= 3, "the fixture spans several pages")
        let victimPage = pages[1]
        let victims = fixture.big.entries.values.filter { $0.pageOffset == victimPage }.map(\.seriesID).sorted()
        let survivors = fixture.big.entries.values.filter { $0.pageOffset != victimPage }.map(\.seriesID).sorted()
        #expect(!victims.isEmpty && !survivors.isEmpty)
        flipByte(fixture.big.path, at: Int(victimPage) + PartitionFormat.pageHeaderBytes + 100, mask: 0x01)

        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        for id in victims {
            let ref = SeriesRef(id: id)
            do {
                _ = try store.readAll(ref)
                Issue.record("series \(id) on the damaged page read without an error")
            } catch {
                #expect(error.kind == .corrupt)
                #expect(error.message.contains(fixture.big.path), "\(error.message)")
                #expect(error.message.contains("checksum"), "\(error.message)")
            }
            // A time range that no index entry of the damaged partition overlaps reads from the other partition.
            expectSame(
                try store.read(ref, startMs: day0 + 3 * hourMs, endMs: Int64.max),
                PointSeries(timestamps: [day0 + 3 * hourMs], values: [Double(id)]), "victim \(id) in the other partition")
        }
        for id in survivors {
            let ref = SeriesRef(id: id)
            expectSame(try store.readAll(ref), fixture.model.expected(ref), "series \(id) on an intact page")
        }
    }

    @Test func damagedPartitionHeaderIsSkippedAtOpenWithALog() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let fixture = try Self.makeFixture(dir)
        flipByte(fixture.small.path, at: 6)  // the version byte
        let log = LogCapture()
        let store = try openStore(testOptions(dir.path), log)
        defer { store.close() }
        #expect(store.partitionCount == 1)
        #expect(log.contains("partition listed in the catalog cannot be opened", level: .error))
        #expect(FileManager.default.fileExists(atPath: fixture.small.path), "kept for inspection, not deleted")
        // Its point is not served; the big partition's data still is.
        let ref = fixture.refs[0]
        var model = fixture.model
        model.series[ref.id]![day0 + 2 * hourMs] = 0
        model.series[ref.id]![day0 + 3 * hourMs] = nil
        expectSame(try store.readAll(ref), model.expected(ref), "the older value from the big partition")
    }

    @Test func unlistedPartitionFilesAreRemovedAtOpen() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let fixture = try Self.makeFixture(dir)
        let metrics = dir.path + "/metrics"
        writeFile(metrics + "/p1699920000000-00000099.part", Array("PHPART".utf8) + [1, 0] + Array(repeating: 0, count: 40))
        writeFile(metrics + "/p1699920000000-00000098.part.tmp", [1, 2, 3])  // a crash mid-write
        let log = LogCapture()
        let store = try openStore(testOptions(dir.path), log)
        defer { store.close() }
        #expect(partitionFileNames(metrics) == [fixture.big.fileName, fixture.small.fileName].sorted())
        #expect(log.count("removing a partition file the catalog does not list") == 2)
        #expect(store.partitionCount == 2)
        for ref in fixture.refs { expectSame(try store.readAll(ref), fixture.model.expected(ref), "series \(ref.id)") }
    }

    @Test func missingListedPartitionIsReportedAndSkipped() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let fixture = try Self.makeFixture(dir)
        try FileManager.default.removeItem(atPath: fixture.big.path)
        let log = LogCapture()
        let store = try openStore(testOptions(dir.path), log)
        defer { store.close() }
        #expect(store.partitionCount == 1)
        let entry = try #require(log.all.first { $0.message.contains("partition listed in the catalog cannot be opened") })
        #expect(entry.level == .error)
        #expect(entry.metadata["file"] == fixture.big.fileName)
        expectSame(
            try store.readAll(fixture.refs[0]), PointSeries(timestamps: [day0 + 2 * hourMs, day0 + 3 * hourMs], values: [-1, 0]),
            "only the small partition")
        expectSame(try store.readAll(fixture.refs[1]), PointSeries(timestamps: [day0 + 3 * hourMs], values: [1]), "only the small partition")
        // The store keeps working: new points seal and read.
        try store.write(fixture.refs[1], [(day0 + 5 * dayMs, 3)])
        try store.flush()
        expectSame(
            try store.readAll(fixture.refs[1]), PointSeries(timestamps: [day0 + 3 * hourMs, day0 + 5 * dayMs], values: [1, 3]), "new data")
    }

    @Test func truncatedPartitionFileReadsAsCorrupt() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let fixture = try Self.makeFixture(dir)
        let bytes = readFile(fixture.big.path)
        writeFile(fixture.big.path, Array(bytes.prefix(bytes.count / 2)))
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let lastPage = try #require(fixture.big.entries.values.max { $0.pageOffset < $1.pageOffset })
        #expect {
            _ = try store.readAll(SeriesRef(id: lastPage.seriesID))
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.kind == .corrupt && error.message.contains(fixture.big.path)
        }
        let firstPage = try #require(fixture.big.entries.values.min { $0.pageOffset < $1.pageOffset })
        let ref = SeriesRef(id: firstPage.seriesID)
        expectSame(try store.readAll(ref), fixture.model.expected(ref), "a page before the cut")
    }
}

extension Partition {
    /// What a test needs of a partition after its store is closed.
    struct Summary {
        var id: Int64
        var path: String
        var fileName: String
        var entries: [UInt32: PartitionIndexEntry]
    }

    var summary: Summary { Summary(id: id, path: path, fileName: record.fileName, entries: entries) }
}
