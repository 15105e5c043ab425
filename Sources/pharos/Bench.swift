import ArgumentParser
import Foundation
import Logging
import PharosCore
import PharosStorage

/// `pharos bench …`: measurements that run in-process on an existing data directory (the side-by-side
/// ingest harness is `make bench`). Release builds only give meaningful figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "In-process benchmarks on a data directory.", subcommands: [Scan.self, Replay.self, Rollups.self])

    /// Reads every point of every series, as a query that touches everything would.
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode every point of every series; report points/s.")
        @Option(help: "Data directory (a copy is safest; the store is opened read-write).")
        var dataDir: String
        @Option(help: "Passes over the data; the best is reported.")
        var repeats = 5

        func run() throws {
            let store = try MetricStore(options: StorageOptions(dataDirectory: dataDir), logger: quietLogger())
            defer { store.close() }
            let refs = store.metricNames.flatMap { store.series(metric: $0).map(\.0) }
            var best = Double.infinity
            var points = 0
            var cpuBest = Double.infinity
            for pass in 1...repeats {
                points = 0
                let cpu0 = cpuSeconds()
                let started = ContinuousClock.now
                var buffer = PointSeries()
                for ref in refs {
                    try store.read(ref, startMs: .min, endMs: .max, into: &buffer)
                    points += buffer.count
                }
                let elapsed = seconds(started.duration(to: .now))
                let cpu = cpuSeconds() - cpu0
                best = min(best, elapsed)
                cpuBest = min(cpuBest, cpu)
                progress("pass \(pass)/\(repeats): \(points) points in \(String(format: "%.3f", elapsed)) s")
            }
            print(
                String(
                    format: "scan: %d series, %d points; best %.3f s wall = %.1f M points/s; %.1f M points/s per CPU-second",
                    refs.count, points, best, Double(points) / best / 1e6, Double(points) / cpuBest / 1e6))
        }
    }

    /// Opens a data directory, which replays its WAL, and reports how long that took.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time opening a data directory (WAL replay).")
        @Option(help: "Data directory whose WAL to replay (a copy: replay may cut a torn tail).")
        var dataDir: String

        func run() throws {
            let started = ContinuousClock.now
            let store = try MetricStore(options: StorageOptions(dataDirectory: dataDir), logger: quietLogger())
            let elapsed = seconds(started.duration(to: .now))
            print(
                String(
                    format: "replay: %d series, %d points in the head, open took %.3f s (%.1f M points/s)", store.seriesCount,
                    store.pointsInHead, elapsed, Double(store.pointsInHead) / elapsed / 1e6))
            store.close()
        }
    }
}

/// Builds a long history (default 1000 series × 30 days at 60 s), flushes it, then times an hourly
/// downsample of every series from the stored rollups against the same from raw points, and checks they agree.
struct Rollups: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate a long history; time 1 h buckets from rollups vs raw.")
    @Option(help: "Data directory; one this command made before is reused as it is (no new load).")
    var dataDir: String
    @Option var series = 1000
    @Option var days = 30
    @Option(help: "Seconds between points.")
    var interval = 60

    func run() throws {
        let reuse = FileManager.default.fileExists(atPath: dataDir + "/catalog.sqlite")
        var options = StorageOptions(dataDirectory: dataDir)
        options.fsync = .never
        let store = try MetricStore(options: options, logger: quietLogger())
        defer { store.close() }
        let start: Int64 = 1_700_006_400_000  // 2023-11-15T00:00:00Z
        let steps = days * 86_400 / interval
        var refs: [SeriesRef] = []
        for i in 0..<series {
            refs.append(try store.resolve(SeriesKey(metric: "bench.rollup", tags: [Tag(key: "host", value: "host-\(i)")])))
        }
        if !reuse { try load(store, refs: refs, start: start, steps: steps) }
        try measure(store, refs: refs, start: start, steps: steps)
    }

    /// A random walk of two-decimal values per series, one point per series per step.
    private func load(_ store: MetricStore, refs: [SeriesRef], start: Int64, steps: Int) throws {
        var scratch = AppendScratch()
        var batch = SampleBatch()
        var rng = SystemRandomNumberGenerator()
        var level = [Int](repeating: 5000, count: series)
        let loadStarted = ContinuousClock.now
        for step in 0..<steps {
            let t = start + Int64(step * interval) * 1000
            for (index, ref) in refs.enumerated() {
                level[index] += Int.random(in: -20...20, using: &rng)
                batch.append(series: ref, timestampMs: t, value: Double(level[index]) / 100)
            }
            if batch.count >= 50_000 {
                try store.append(batch, scratch: &scratch)
                batch.removeAll()
            }
            if step % (steps / 10) == 0 { progress("loading: \(step * 100 / steps) %") }
        }
        try store.append(batch, scratch: &scratch)
        progress("loaded \(steps * series) points in \(seconds(loadStarted.duration(to: .now))) s; flushing")
        try store.flush()
    }

    private func measure(_ store: MetricStore, refs: [SeriesRef], start: Int64, steps: Int) throws {
        let end = start + Int64(steps * interval) * 1000 - 1
        var rollupBest = Double.infinity
        var rawBest = Double.infinity
        var mismatches = 0
        var buffer = PointSeries()
        for _ in 0..<3 {
            var rolled: [RollupBuckets] = []
            var started = ContinuousClock.now
            for ref in refs { rolled.append(try store.rollups(ref, intervalMs: 3_600_000, startMs: start, endMs: end)!) }
            rollupBest = min(rollupBest, seconds(started.duration(to: .now)))
            started = .now
            var sums: [[Double]] = []
            for ref in refs {
                try store.read(ref, startMs: start, endMs: end, into: &buffer)
                var bucketSums: [Double] = []
                var i = 0
                while i < buffer.count {
                    let bucket = buffer.timestamps[i] - buffer.timestamps[i] % 3_600_000
                    var sum = 0.0
                    while i < buffer.count && buffer.timestamps[i] < bucket + 3_600_000 {
                        sum += buffer.values[i]
                        i += 1
                    }
                    bucketSums.append(sum)
                }
                sums.append(bucketSums)
            }
            rawBest = min(rawBest, seconds(started.duration(to: .now)))
            mismatches = zip(rolled, sums).filter { $0.sums.map(\.bitPattern) != $1.map(\.bitPattern) }.count
        }
        print(
            String(
                format: "rollups: %d series × %d days at %d s (%d points): 1 h buckets from rollups %.1f ms, from raw %.1f ms (%.1f×); %d series differ",
                series, days, interval, steps * series, rollupBest * 1000, rawBest * 1000, rawBest / rollupBest, mismatches))
    }
}

func quietLogger() -> Logger {
    var logger = Logger(label: "pharos-bench")
    logger.logLevel = .warning
    return logger
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Progress for long CLI work goes to stderr, so stdout keeps only the result.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
