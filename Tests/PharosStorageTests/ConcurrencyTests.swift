#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Appenders on several threads while another thread seals, flushes and compacts.
@Suite struct ConcurrencyTests {
    /// Runs `bodies` on their own threads and waits for all of them.
    static func runThreads(_ bodies: [@Sendable () -> Void]) {
        let group = DispatchGroup()
        for body in bodies {
            group.enter()
            Thread {
                body()
                group.leave()
            }.start()
        }
        group.wait()
    }

    @Test func appendersAndASealerLoseAndDuplicateNothing() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        options.walSegmentBytes = 16 << 10
        var store = try openStore(options)
        let refs = try (0..<8).map { try store.resolve(key("concurrent", ["s": "\($0)"])) }
        let appenderCount = 4
        let batchesPerThread = 150
        let models = Mutex<[Model]>(Array(repeating: Model(), count: appenderCount))
        let errors = Mutex<[String]>([])
        let appendersDone = Atomic<Int>(0)
        let maintenanceRounds = Atomic<Int>(0)
        let shared = store

        var bodies: [@Sendable () -> Void] = (0..<appenderCount).map { thread in
            { @Sendable in
                var random = SplitMix64(seed: UInt64(100 + thread))
                var model = Model()
                var scratch = AppendScratch()
                var batch = SampleBatch()
                var n: Int64 = 0
                var mine: [(SeriesRef, Int64)] = []
                for batchIndex in 0..<batchesPerThread {
                    // Keep pace with the maintenance thread so seals really interleave with appends
                    // (a deadline instead of a sleep: give up waiting after 60 s).
                    let deadline = ContinuousClock.now + .seconds(60)
                    while maintenanceRounds.load(ordering: .acquiring) < batchIndex / 10 && ContinuousClock.now < deadline {
                        sched_yield()
                    }
                    batch.removeAll()
                    for _ in 0..<10 {
                        // Overlapping series; timestamps unique to this thread (residue mod 4), so the
                        // expected value of each timestamp is this thread's last write.
                        let ref = refs[(thread + Int.random(in: 0..<4, using: &random)) % refs.count]
                        var t = day0 + (n * Int64(appenderCount) + Int64(thread)) * 1000
                        n += 1
                        switch Int.random(in: 0..<10, using: &random) {
                        case 0: t -= 10 * hourMs  // late: an older window, often already sealed
                        case 1 where !mine.isEmpty:  // rewrite one of this thread's earlier points
                            let (old, oldT) = mine.randomElement(using: &random)!
                            let v = Double(random.next() % 1_000_000)
                            batch.append(series: old, timestampMs: oldT, value: v)
                            model.write(old, oldT, v)
                            continue
                        default: break
                        }
                        let v = Double(random.next() % 1_000_000)
                        batch.append(series: ref, timestampMs: t, value: v)
                        model.write(ref, t, v)
                        mine.append((ref, t))
                    }
                    do { try shared.append(batch, scratch: &scratch) } catch {
                        errors.withLock { $0.append("append: \(error)") }
                    }
                }
                models.withLock { $0[thread] = model }
                appendersDone.add(1, ordering: .releasing)
            }
        }
        bodies.append { @Sendable in
            var round = 0
            while appendersDone.load(ordering: .acquiring) < appenderCount {
                do {
                    switch round % 3 {
                    case 0: try shared.sealNow()
                    case 1: try shared.flush()
                    default: try shared.compactNow()
                    }
                } catch {
                    errors.withLock { $0.append("maintenance: \(error)") }
                }
                round += 1
                maintenanceRounds.store(round, ordering: .releasing)
            }
        }
        Self.runThreads(bodies)

        #expect(errors.withLock { $0 } == [])
        #expect(maintenanceRounds.load(ordering: .relaxed) >= batchesPerThread / 10)
        var model = Model()
        for part in models.withLock({ $0 }) {
            for (id, points) in part.series {
                for (t, v) in points {
                    #expect(model.series[id]?[t] == nil, "timestamps are unique per thread")
                    model.series[id, default: [:]][t] = v
                }
            }
        }
        #expect(store.stats.pointsAppended.value == Int64(appenderCount * batchesPerThread * 10))
        var total = 0
        for ref in refs {
            let points = try store.readAll(ref)
            total += points.count
            expectSame(points, model.expected(ref), "series \(ref.id) after the race")
        }
        #expect(total == model.pointCount)

        try store.flush()
        store.close()
        store = try openStore(options)
        for ref in refs { expectSame(try store.readAll(ref), model.expected(ref), "series \(ref.id) after flush and reopen") }
        store.close()
    }

    /// Many threads resolving the same new keys get one id per key.
    @Test func concurrentResolveCreatesEachSeriesOnce() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let results = Mutex<[[UInt32]]>([])
        Self.runThreads(
            (0..<4).map { thread in
                { @Sendable in
                    var ids: [UInt32] = []
                    for i in 0..<200 {
                        let k = (i * 7 + thread * 13) % 200
                        ids.append((try? store.resolve(key("resolve", ["k": "\(k)"])).id) ?? UInt32.max)
                    }
                    results.withLock { $0.append(ids) }
                }
            })
        #expect(store.seriesCount == 200)
        #expect(store.stats.seriesCreated.value == 200)
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for ids in all { #expect(Set(ids).count == 200 && !ids.contains(UInt32.max)) }
        for k in 0..<200 {
            let ref = try store.resolve(key("resolve", ["k": "\(k)"]))
            #expect(store.key(of: ref) == key("resolve", ["k": "\(k)"]))
        }
    }

    /// A reader running beside seals must never see fewer points than were written before it started.
    /// `read` snapshots the partition list first and the head second; a seal that publishes its partition and
    /// drops the head window in between makes the window's points vanish from that read (MetricStore+Read.swift:27-46).
    @Test func readsBesideSealsNeverMissPoints() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        defer { store.close() }
        let ref = try store.resolve(key("vanish"))
        let written = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let anomalies = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        Self.runThreads([
            { @Sendable in
                var next: Int64 = 0
                for round in 0..<150 {
                    try? store.write(ref, (0..<20).map { _ in
                        next += 1
                        return (day0 + next * 1000, Double(next))
                    })
                    written.store(Int(next), ordering: .releasing)
                    try? store.sealNow()
                    if round % 30 == 29 { try? store.compactNow() }
                }
                stop.store(true, ordering: .releasing)
            },
            { @Sendable in
                while !stop.load(ordering: .acquiring) {
                    let before = written.load(ordering: .acquiring)
                    let count = (try? store.readAll(ref).count) ?? -1
                    if count < before { anomalies.add(1, ordering: .relaxed) }
                    reads.add(1, ordering: .relaxed)
                }
            },
        ])
        #expect(reads.load(ordering: .relaxed) > 0)
        #expect(try store.readAll(ref).count == 3000)
        #expect(anomalies.load(ordering: .relaxed) == 0)
    }
}
