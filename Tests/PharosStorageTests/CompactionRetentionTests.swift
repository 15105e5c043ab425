import Foundation
import Logging
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Compaction of a UTC day's partitions into one, and retention by age.
@Suite struct CompactionTests {
    @Test func aDaysPartitionsMergeIntoOneNewerFile() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        var model = Model()
        var random = SplitMix64(seed: 5)
        let refs = try (0..<4).map { try store.resolve(key("compact", ["i": "\($0)"])) }
        // Windows 00:00, 02:00, 04:00 and 10:00 of day 0, plus a late generation of 00:00.
        for start in [0, 2, 4, 10] as [Int64] {
            for ref in refs {
                let points = (0..<50).map { i in (day0 + start * hourMs + Int64(i) * 7_000, Double.random(in: -100...100, using: &random)) }
                for (t, v) in points { model.write(ref, t, v) }
                try store.write(ref, points)
            }
        }
        try store.sealNow()
        try store.write(refs[0], [(day0, 42), (day0 + 1, 43)])
        model.write(refs[0], day0, 42)
        model.write(refs[0], day0 + 1, 43)
        try store.sealNow()
        let inputs = store.partitionSnapshot
        #expect(inputs.map(\.id) == [1, 2, 3, 4, 5])
        let inputFiles = partitionFileNames(dir.path + "/metrics")
        #expect(inputFiles.count == 5)

        try store.compactNow()

        let output = store.partitionSnapshot
        #expect(output.count == 1)
        let merged = try #require(output.first)
        #expect(merged.id == 6)
        #expect(merged.id > inputs.map(\.id).max()!)
        #expect(merged.startMs == day0 && merged.endMs == day0 + dayMs)
        #expect(partitionFileNames(dir.path + "/metrics") == ["p1699920000000-00000006.part"])
        #expect(try store.catalog.loadPartitions().map { $0.0.id } == [6])
        #expect(merged.record.pointCount == Int64(model.pointCount))
        #expect(merged.entries.count == 4)
        #expect(store.stats.compactions.value == 1)
        for ref in refs { expectSame(try store.readAll(ref), model.expected(ref), "after compaction, series \(ref.id)") }

        // Compacting again changes nothing (a single partition per day stays as it is).
        try store.compactNow()
        #expect(store.partitionSnapshot.map(\.id) == [6])
    }

    @Test func lateDataSealedAfterCompactionWinsOnEqualTimestamps() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let ref = try store.resolve(key("late"))
        let other = try store.resolve(key("late.other"))
        try store.write(ref, [(day0, 1), (day0 + 2 * hourMs, 2), (day0 + 6 * hourMs, 3)])
        try store.write(other, [(day0 + 2 * hourMs, 9)])
        try store.flush()
        #expect(store.partitionSnapshot.map(\.id) == [4])

        try store.write(ref, [(day0 + 2 * hourMs, 20), (day0 + 2 * hourMs + 1, 21)])
        let expected = PointSeries(timestamps: [day0, day0 + 2 * hourMs, day0 + 2 * hourMs + 1, day0 + 6 * hourMs], values: [1, 20, 21, 3])
        expectSame(try store.readAll(ref), expected, "late point in the head")
        try store.sealNow()
        #expect(store.partitionSnapshot.map(\.id) == [4, 5])
        expectSame(try store.readAll(ref), expected, "late partition over the compacted one")
        store.close()
        store = try openStore(testOptions(dir.path))
        expectSame(try store.readAll(ref), expected, "after reopen")
        try store.compactNow()
        #expect(store.partitionSnapshot.map(\.id) == [6])
        expectSame(try store.readAll(ref), expected, "after the second compaction")
        expectSame(try store.readAll(other), PointSeries(timestamps: [day0 + 2 * hourMs], values: [9]), "untouched series")
        store.close()
    }

    @Test func eachUTCDayIsCompactedSeparately() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("days"))
        // 20:00 and 22:00 of day 0, 00:00 and 02:00 of day 1: a window boundary at midnight.
        let points: [(Int64, Double)] = [20, 22, 24, 26, 23].map { (day0 + $0 * hourMs + 59_000, Double($0)) }
        try store.write(ref, points)
        try store.sealNow()
        #expect(store.partitionCount == 4)
        try store.compactNow()
        #expect(store.partitionSnapshot.map(\.startMs) == [day0, day0 + dayMs])
        #expect(store.partitionSnapshot.map(\.endMs) == [day0 + dayMs, day0 + 2 * dayMs])
        expectSame(
            try store.readAll(ref), PointSeries(timestamps: [20, 22, 23, 24, 26].map { day0 + $0 * hourMs + 59_000 }, values: [20, 22, 23, 24, 26]),
            "two days")
        // Reading one day only touches its partition.
        #expect(try store.read(ref, startMs: day0 + dayMs, endMs: day0 + 2 * dayMs).values == [24, 26])
    }

    /// Without `force`, only spans the out-of-order window has left behind are compacted.
    @Test func unforcedCompactionWaitsForTheDayToBeBehind() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        options.outOfOrderWindowMs = hourMs
        let store = try openStore(options)
        defer { store.close() }
        let ref = try store.resolve(key("unforced"))
        try store.write(ref, [(day0, 1), (day0 + 2 * hourMs, 2), (day0 + dayMs + 30 * 60_000, 3)])
        try store.sealNow()
        try store.compactNow(force: false)
        #expect(store.partitionCount == 3, "day 1 00:30 is within 1 h of day 0's end")
        try store.write(ref, [(day0 + dayMs + hourMs, 4)])
        try store.compactNow(force: false)
        #expect(store.partitionSnapshot.map(\.startMs) == [day0 + dayMs, day0])
        expectSame(
            try store.readAll(ref), PointSeries(timestamps: [day0, day0 + 2 * hourMs, day0 + dayMs + 30 * 60_000, day0 + dayMs + hourMs], values: [1, 2, 3, 4]),
            "after unforced compaction")
    }
}

@Suite struct RetentionTests {
    @Test func partitionsOlderThanRetentionAreDeleted() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        options.retentionMs = 10 * dayMs
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let today = now - now % dayMs
        // Sealed without retention first, so the maintenance thread cannot delete anything before we look.
        var store = try openStore(testOptions(dir.path))
        let ref = try store.resolve(key("retention"))
        let keep = try store.resolve(key("retention.recent"))
        let old: [(Int64, Double)] = [(today - 30 * dayMs, 1), (today - 20 * dayMs + 5, 2)]
        let recent: [(Int64, Double)] = [(today - 2 * dayMs, 3), (today - dayMs + 7, 4)]
        try store.write(ref, old + recent)
        try store.write(keep, [(today - 2 * dayMs, 5)])
        try store.flush()  // one window per day: nothing to merge; the WAL is dropped, so nothing replays
        #expect(store.partitionCount == 4)
        let doomed = store.partitionSnapshot.filter { $0.endMs <= now - 10 * dayMs }
        #expect(doomed.map(\.startMs) == [today - 30 * dayMs, today - 20 * dayMs])
        store.close()

        store = try openStore(options)
        try store.retentionNow()

        #expect(store.partitionCount == 2)
        #expect(store.partitionSnapshot.allSatisfy { $0.endMs > now - 10 * dayMs })
        for partition in doomed { #expect(!FileManager.default.fileExists(atPath: partition.path)) }
        #expect(partitionFileNames(dir.path + "/metrics").count == 2)
        let rows = try store.catalog.loadPartitions()
        #expect(Set(rows.map { $0.0.id }) == Set(store.partitionSnapshot.map(\.id)))
        #expect(rows.allSatisfy { !doomed.map(\.id).contains($0.0.id) })
        expectSame(try store.readAll(ref), PointSeries(timestamps: recent.map { $0.0 }, values: recent.map { $0.1 }), "old points are gone")
        expectSame(try store.readAll(keep), PointSeries(timestamps: [today - 2 * dayMs], values: [5]), "recent series")

        store.close()
        store = try openStore(options)
        #expect(store.partitionCount == 2)
        expectSame(try store.readAll(ref), PointSeries(timestamps: recent.map { $0.0 }, values: recent.map { $0.1 }), "after reopen")
        store.close()
    }

    @Test func withoutRetentionNothingIsDeleted() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("forever"))
        try store.write(ref, [(86_400_000, 1), (day0, 2)])  // 1970 and 2023
        try store.sealNow()
        try store.retentionNow()
        #expect(store.partitionCount == 2)
        #expect(try store.readAll(ref).values == [1, 2])
    }
}
