import ArgumentParser
import Foundation
import Logging
import PharosCore
import PharosStorage

/// `pharos bench …`: measurements that run in-process on an existing data directory (the side-by-side
/// ingest harness is `make bench`). Release builds only give meaningful figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "In-process benchmarks on a data directory.", subcommands: [Scan.self, Replay.self])

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
