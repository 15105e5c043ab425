import Foundation
import PharosCore
import Testing

@testable import PharosStorage

/// The in-memory name index behind `/api/suggest` and `/api/search/lookup`, and annotations in the catalog.
@Suite struct LookupAndAnnotationTests {
    /// Six series: ids 0…5 in this order.
    static let series: [(String, [String: String])] = [
        ("sys.cpu.user", ["host": "web01", "cpu": "0"]),
        ("sys.cpu.user", ["host": "web02", "cpu": "0"]),
        ("sys.cpu.sys", ["host": "web01"]),
        ("net.bytes", ["host": "db01", "iface": "eth0"]),
        ("Sys.upper", ["dc": "lga"]),
        ("sys.cpu.user", ["host": "web03", "dc": "web01"]),
    ]

    func withStore(_ body: (MetricStore, TempDirectory) throws -> Void) throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        for (metric, tags) in Self.series { _ = try store.resolve(key(metric, tags)) }
        try body(store, dir)
        store.close()
    }

    // MARK: suggest

    @Test func suggestReturnsNamesWithThePrefixInByteOrder() throws {
        try withStore { store, _ in
            let index = store.makeLookupIndex()
            #expect(index.suggest(.metric, prefix: "", max: 25) == ["Sys.upper", "net.bytes", "sys.cpu.sys", "sys.cpu.user"])
            #expect(index.suggest(.metric, prefix: "sys", max: 25) == ["sys.cpu.sys", "sys.cpu.user"])
            #expect(index.suggest(.metric, prefix: "sys", max: 1) == ["sys.cpu.sys"])
            #expect(index.suggest(.metric, prefix: "sys.cpu.user.", max: 25) == [])
            #expect(index.suggest(.tagKey, prefix: "", max: 25) == ["cpu", "dc", "host", "iface"])
            #expect(index.suggest(.tagValue, prefix: "web", max: 25) == ["web01", "web02", "web03"])
            #expect(index.suggest(.tagValue, prefix: "zzz", max: 25) == [])
        }
    }

    @Test func theIndexFollowsNewSeriesAndARestart() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let index = store.makeLookupIndex()
        #expect(index.suggest(.metric, prefix: "", max: 25) == [])
        _ = try store.resolve(key("b.metric", ["host": "a"]))
        #expect(index.suggest(.metric, prefix: "", max: 25) == ["b.metric"])
        // Names arriving after a read merge into the sorted list (before and after existing ones).
        _ = try store.resolve(key("a.metric", ["host": "é"]))
        _ = try store.resolve(key("c.metric", ["host": "z"]))
        #expect(index.suggest(.metric, prefix: "", max: 25) == ["a.metric", "b.metric", "c.metric"])
        // UTF-8 byte order: "é" (0xC3 0xA9) sorts after every ASCII name.
        #expect(index.suggest(.tagValue, prefix: "", max: 25) == ["a", "z", "é"])
        store.close()
        store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let reopened = store.makeLookupIndex()
        #expect(reopened.suggest(.metric, prefix: "", max: 25) == ["a.metric", "b.metric", "c.metric"])
        let counts = reopened.nameCounts
        #expect(counts.metrics == 3 && counts.tagKeys == 1 && counts.tagValues == 3)
    }

    // MARK: lookup

    static let lookupCases: [(String?, [(String?, String?)], [UInt32])] = [
        ("sys.cpu.user", [], [0, 1, 5]),
        ("sys.cpu.user", [("host", "*")], [0, 1, 5]),
        ("sys.cpu.user", [("host", "web01")], [0]),
        // Same key: OR'd.
        ("sys.cpu.user", [("host", "web01"), ("host", "web02")], [0, 1]),
        // A wildcard value wins over listed ones.
        ("sys.cpu.user", [("host", "web01"), ("host", "*")], [0, 1, 5]),
        // Different keys: AND'd.
        (nil, [("host", "web01"), ("cpu", "0")], [0]),
        (nil, [("dc", nil)], [4, 5]),
        // Value-only patterns: any key, OR'd with each other, AND'd with the rest.
        (nil, [("*", "web01")], [0, 2, 5]),
        (nil, [(nil, "web01"), (nil, "lga")], [0, 2, 4, 5]),
        ("sys.cpu.user", [("*", "web01"), ("host", "*")], [0, 5]),
        ("*", [], [0, 1, 2, 3, 4, 5]),
        (nil, [(nil, nil)], [0, 1, 2, 3, 4, 5]),
    ]

    @Test(arguments: lookupCases.indices)
    func lookupFollowsOpenTSDBSemantics(_ index: Int) throws {
        let (metric, tags, expected) = Self.lookupCases[index]
        try withStore { store, _ in
            let query = SeriesLookupQuery(metric: metric, tags: tags.map { SeriesLookupQuery.TagPattern(key: $0.0, value: $0.1) })
            let found = try store.makeLookupIndex().lookup(query, limit: 0)
            #expect(found.map(\.0.id) == expected, "\(metric ?? "-") \(tags)")
            for (ref, key) in found { #expect(store.key(of: ref) == key) }
        }
    }

    @Test func lookupStopsAtTheLimitInTSUIDOrder() throws {
        try withStore { store, _ in
            let index = store.makeLookupIndex()
            let all = SeriesLookupQuery(metric: nil, tags: [.init(key: "host", value: nil)])
            let two = try index.lookup(all, limit: 2)
            let unlimited = try index.lookup(all, limit: 0)
            let negative = try index.lookup(all, limit: -1)
            #expect(two.map(\.0.tsuid) == ["000000000000", "000000000001"])
            #expect(unlimited.count == 5 && negative.count == 5)
        }
    }

    @Test(arguments: [
        (SeriesLookupQuery(metric: "nope", tags: []), "No such name for 'metrics': 'nope'"),
        (SeriesLookupQuery(metric: "sys.cpu.user", tags: [.init(key: "rack", value: nil)]), "No such name for 'tagk': 'rack'"),
        (SeriesLookupQuery(metric: nil, tags: [.init(key: "host", value: "web99")]), "No such name for 'tagv': 'web99'"),
        // A tag value that exists, but under another key, resolves: the pair simply matches nothing.
        (SeriesLookupQuery(metric: nil, tags: [.init(key: "host", value: "lga")]), ""),
    ])
    func unknownNamesFailTheLookup(_ query: SeriesLookupQuery, _ message: String) throws {
        try withStore { store, _ in
            let index = store.makeLookupIndex()
            if message.isEmpty {
                let found = try index.lookup(query, limit: 0)
                #expect(found.isEmpty)
            } else {
                do throws(SeriesLookupQuery.UnknownName) {
                    _ = try index.lookup(query, limit: 0)
                    Issue.record("expected \(message)")
                } catch {
                    #expect(error.description == message)
                }
            }
        }
    }

    // MARK: annotations

    @Test func annotationsMergeDeleteAndSurviveARestart() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let note = Annotation(
            startTime: 1_369_141_261, endTime: 1_369_141_300, tsuid: "000000000001", description: "outage", notes: "n",
            custom: ["owner": "jdoe"])
        let stored = try store.mergeAnnotations([("000000000001", 1_369_141_261)]) { _, existing in
            #expect(existing == nil)
            return note
        }
        #expect(stored == [note])
        // A merge sees what is stored; nil leaves it alone.
        let untouched = try store.mergeAnnotations([("000000000001", 1_369_141_261)]) { _, existing in
            #expect(existing == note)
            return nil
        }
        #expect(untouched == [nil])
        let global = Annotation(startTime: 1_369_141_500, description: "deploy")
        _ = try store.mergeAnnotations([(nil, 1_369_141_500)]) { _, _ in global }
        store.close()

        store = try openStore(testOptions(dir.path))
        defer { store.close() }
        #expect(try store.annotation(tsuid: "000000000001", startTime: 1_369_141_261) == note)
        #expect(try store.annotation(tsuid: "", startTime: 1_369_141_500) == global)
        #expect(try store.annotation(tsuid: nil, startTime: 1_369_141_261) == nil)
        #expect(store.globalAnnotations(startMs: 1_369_141_000_000, endMs: 1_369_142_000_000) == [global])
        #expect(store.annotations(tsuids: ["000000000001", "000000000002"], startMs: 0, endMs: Int64.max / 2) == [note])
        #expect(try store.deleteAnnotation(tsuid: "000000000001", startTime: 1_369_141_261))
        #expect(try !store.deleteAnnotation(tsuid: "000000000001", startTime: 1_369_141_261))
        #expect(try store.annotation(tsuid: "000000000001", startTime: 1_369_141_261) == nil)
    }

    /// A query window sees every annotation whose span overlaps it; start times in seconds and in
    /// milliseconds (OpenTSDB's SECOND_MASK rule) both count.
    @Test func queryReadsSelectOverlappingSpans() throws {
        try withStore { store, _ in
            let notes = [
                Annotation(startTime: 1_699_999_000, tsuid: "000000000000", description: "before"),
                Annotation(startTime: 1_699_999_990, endTime: 1_700_000_010, tsuid: "000000000000", description: "spans the start"),
                Annotation(startTime: 1_700_000_050_000, tsuid: "000000000000", description: "milliseconds"),
                Annotation(startTime: 1_700_000_060, tsuid: "000000000001", description: "other series"),
                Annotation(startTime: 1_700_000_101, tsuid: "000000000000", description: "after"),
            ]
            _ = try store.mergeAnnotations(notes.map { ($0.tsuid, $0.startTime) }) { index, _ in notes[index] }
            let (start, end): (Int64, Int64) = (1_700_000_000_000, 1_700_000_100_000)
            let window = store.annotations(tsuids: ["000000000000"], startMs: start, endMs: end)
            #expect(window.map(\.description) == ["spans the start", "milliseconds"])
            // Many TSUIDs take the time-index path; the answer is the same.
            let many = (0..<100).map { SeriesRef(id: UInt32($0)).tsuid }
            #expect(
                store.annotations(tsuids: many, startMs: start, endMs: end).map(\.description) == [
                    "spans the start", "milliseconds", "other series",
                ])
            #expect(store.globalAnnotations(startMs: 0, endMs: Int64.max / 2).isEmpty)
            #expect(store.annotations(tsuids: [], startMs: 0, endMs: Int64.max / 2).isEmpty)
        }
    }

    @Test func bulkDeleteRemovesStartsInTheRange() throws {
        try withStore { store, _ in
            let notes = [
                Annotation(startTime: 100, tsuid: "000000000000"), Annotation(startTime: 200, tsuid: "000000000000"),
                Annotation(startTime: 200, tsuid: "000000000001"), Annotation(startTime: 150), Annotation(startTime: 300),
            ]
            _ = try store.mergeAnnotations(notes.map { ($0.tsuid, $0.startTime) }) { index, _ in notes[index] }
            #expect(try store.deleteAnnotations(tsuids: ["000000000000"], global: true, startMs: 100_000, endMs: 200_000) == 3)
            #expect(try store.annotation(tsuid: "000000000001", startTime: 200) != nil)
            #expect(try store.annotation(tsuid: nil, startTime: 300) != nil)
            #expect(try store.annotation(tsuid: "000000000000", startTime: 100) == nil)
        }
    }
}
