import Foundation
import Logging
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Seeded random histories of writes and maintenance; after every step every read equals a plain
/// dictionary model (timestamp → last written value).
@Suite struct MetricStoreModelTests {
    enum Action: String, CaseIterable {
        case none, flush, reopen, sealAll, compact, sealAllThenReopen
    }

    static func randomValue(_ random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 8
        case 1: return Double(Int.random(in: 0...100, using: &random))
        case 2:
            var v: Double
            repeat { v = Double(bitPattern: random.next()) } while !v.isFinite
            return v
        default: return Double.random(in: -1e6...1e6, using: &random)
        }
    }

    /// Verifies every series over all time and over a few random sub-ranges (clipping at both ends).
    static func verify(
        _ store: MetricStore, _ refs: [SeriesRef], _ model: Model, _ random: inout SplitMix64, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for ref in refs {
            expectSame(try store.readAll(ref), model.expected(ref), "\(context), series \(ref.id)", sourceLocation: sourceLocation)
            let points = (model.series[ref.id] ?? [:]).keys.sorted()
            guard let first = points.first, let last = points.last else { continue }
            for _ in 0..<3 {
                var a = Int64.random(in: (first - hourMs)...(last + hourMs), using: &random)
                var b = Int64.random(in: (first - hourMs)...(last + hourMs), using: &random)
                if Bool.random(using: &random), let exact = points.randomElement(using: &random) { a = exact }  // bounds on a point
                if Bool.random(using: &random), let exact = points.randomElement(using: &random) { b = exact }
                if a > b { swap(&a, &b) }
                expectSame(
                    try store.read(ref, startMs: a, endMs: b), model.expected(ref, startMs: a, endMs: b),
                    "\(context), series \(ref.id) in [\(a), \(b)]", sourceLocation: sourceLocation)
                // The buffer-reusing variant (and its one-partition fast path) empties a dirty buffer first.
                var buffer = PointSeries(timestamps: [-3, -2, -1], values: [9, 9, 9])
                try store.read(ref, startMs: a, endMs: b, into: &buffer)
                expectSame(buffer, model.expected(ref, startMs: a, endMs: b), "\(context), read(into:) of series \(ref.id)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomHistoryMatchesModel(seed: UInt64) throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var random = SplitMix64(seed: seed)
        var options = testOptions(dir.path)
        options.walSegmentBytes = 2048
        var store = try openStore(options)
        let keys = (0..<5).map { key("model.cpu", ["host": "h\($0)"]) } + [key("model.mem"), key("model.disk", ["dev": "sda", "host": "h0"])]
        let refs = try keys.map { try store.resolve($0) }
        #expect(refs.map(\.id) == Array(0..<7))
        var model = Model()
        var cursor = day0 + Int64.random(in: 0..<hourMs, using: &random)
        var actions: [Action] = []

        for step in 0..<45 {
            var batch = SampleBatch()
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                let ref = refs.randomElement(using: &random)!
                let t: Int64
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    cursor += Int64.random(in: 1...600_000, using: &random)
                    t = cursor
                case 5, 6: t = cursor - Int64.random(in: 0...hourMs, using: &random)  // out of order, same or previous window
                case 7: t = (model.series[ref.id]?.keys.randomElement(using: &random)) ?? cursor  // rewrite: last write wins
                default: t = day0 + Int64.random(in: 0...(cursor - day0), using: &random)  // late, often into a sealed window
                }
                let v = Self.randomValue(&random)
                batch.append(series: ref, timestampMs: t, value: v)
                model.write(ref, t, v)
            }
            var scratch = AppendScratch()
            try store.append(batch, scratch: &scratch)

            let action: Action
            switch Int.random(in: 0..<12, using: &random) {
            case 0: action = .flush
            case 1: action = .reopen
            case 2, 3: action = .sealAll
            case 4: action = .compact
            case 5: action = .sealAllThenReopen
            default: action = .none
            }
            actions.append(action)
            switch action {
            case .none: break
            case .flush: try store.flush()
            case .reopen, .sealAllThenReopen:
                if action == .sealAllThenReopen { try store.sealNow() }
                store.close()
                store = try openStore(options)
                #expect(store.seriesCount == refs.count)
            case .sealAll: try store.sealNow()
            case .compact: try store.compactNow()
            }
            try Self.verify(store, refs, model, &random, "seed \(seed) step \(step) after \(action)")
        }
        #expect(cursor - day0 > dayMs, "the history spans more than one UTC day")
        #expect(Set(actions).count >= 4, "\(actions)")

        try store.flush()
        #expect(store.pointsInHead == 0)
        // One partition per UTC day that has data.
        let days = Set(model.series.values.flatMap(\.keys).map { $0 - (($0 % dayMs) + dayMs) % dayMs })
        #expect(store.partitionCount == days.count)
        try Self.verify(store, refs, model, &random, "seed \(seed) after the final flush")
        store.close()
        store = try openStore(options)
        try Self.verify(store, refs, model, &random, "seed \(seed) after the final reopen")
        #expect(store.series(metric: "model.cpu").map { $0.1 } == Array(keys[0..<5]))
        #expect(store.metricNames == ["model.cpu", "model.disk", "model.mem"])
        store.close()
    }

    /// Replaying the WAL alone (no sealing ever) reproduces the head exactly, including rewrites and
    /// out-of-order points, across several restarts.
    @Test func walReplayAloneRebuildsTheHead() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var random = SplitMix64(seed: 77)
        var options = testOptions(dir.path)
        options.walSegmentBytes = 1024
        var store = try openStore(options)
        let refs = try (0..<3).map { try store.resolve(key("replay", ["i": "\($0)"])) }
        var model = Model()
        for round in 0..<4 {
            for _ in 0..<200 {
                let ref = refs.randomElement(using: &random)!
                let t = day0 + Int64.random(in: 0..<(30 * hourMs), using: &random) / 1000 * 1000
                let v = Double(Int.random(in: 0..<1000, using: &random))
                try store.write(ref, [(t, v)])
                model.write(ref, t, v)
            }
            store.close()
            store = try openStore(options)
            #expect(store.partitionCount == 0)
            #expect(store.walStats.tornRecords.value == 0)
            #expect(store.walStats.corruptRecords.value == 0)
            try Self.verify(store, refs, model, &random, "round \(round)")
        }
        store.close()
    }

    @Test func readClipsToTheInclusiveRange() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("clip"))
        let points: [(Int64, Double)] = (0..<10).map { (day0 + Int64($0) * 1000, Double($0)) }
        try store.write(ref, points)
        func ts(_ start: Int64, _ end: Int64) throws -> [Int64] {
            try store.read(ref, startMs: day0 + start, endMs: day0 + end).timestamps.map { ($0 - day0) / 1000 }
        }
        for sealed in [false, true] {
            #expect(try ts(0, 9000) == Array(0..<10), "sealed \(sealed)")
            #expect(try ts(2000, 4000) == [2, 3, 4])
            #expect(try ts(1999, 4001) == [2, 3, 4])
            #expect(try ts(9000, 9000) == [9])
            #expect(try ts(9001, 20000) == [])
            #expect(try ts(-5000, -1) == [])
            #expect(try ts(4500, 4600) == [])
            try store.sealNow()
        }
        #expect(store.partitionCount == 1)
        #expect(try store.read(SeriesRef(id: 99), startMs: 0, endMs: Int64.max).isEmpty)
    }

    @Test func sameSeriesKeyResolvesToTheSameRefAcrossRestarts() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var store = try openStore(testOptions(dir.path))
        let a = try store.resolve(key("m", ["b": "2", "a": "1"]))
        let b = try store.resolve(SeriesKey(metric: "m", tags: [Tag(key: "a", value: "1"), Tag(key: "b", value: "2")]))
        let c = try store.resolve(key("m", ["a": "1"]))
        #expect(a == b)
        #expect(a != c)
        #expect(store.stats.seriesCreated.value == 2)
        store.close()
        store = try openStore(testOptions(dir.path))  // restored from the WAL
        #expect(try store.resolve(key("m", ["a": "1", "b": "2"])) == a)
        try store.flush()
        store.close()
        store = try openStore(testOptions(dir.path))  // restored from the catalog
        #expect(try store.resolve(key("m", ["a": "1"])) == c)
        #expect(store.key(of: a) == key("m", ["a": "1", "b": "2"]))
        #expect(store.seriesCount == 2)
        store.close()
    }
}
