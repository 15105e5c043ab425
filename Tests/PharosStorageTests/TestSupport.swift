import Foundation
import Logging
import PharosCodec
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// Milliseconds.
let hourMs: Int64 = 3_600_000
let dayMs: Int64 = 86_400_000
/// 2023-11-14T00:00:00Z, the start of a UTC day (and so of a 2 h window).
let day0: Int64 = 1_699_920_000_000

/// A fresh directory under the system temp directory; `remove()` it at the end of the test.
struct TempDirectory {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "pharos-storage-\(safe.prefix(40))-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A crash-consistent copy of the directory (as `kill -9` would leave it: whatever the page cache holds).
    func snapshot() -> TempDirectory {
        let copy = TempDirectory("snapshot")
        try? FileManager.default.removeItem(atPath: copy.path)
        try! FileManager.default.copyItem(atPath: path, toPath: copy.path)
        return copy
    }
}

/// Collects every log event so tests can assert that something was logged.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    var all: [Entry] { entries.withLock { $0 } }

    func contains(_ fragment: String, level: Logger.Level? = nil) -> Bool {
        all.contains { $0.message.contains(fragment) && (level == nil || $0.level == level) }
    }

    func count(_ fragment: String) -> Int { all.filter { $0.message.contains(fragment) }.count }

    var logger: Logger {
        Logger(label: "pharos.storage.tests") { _ in CapturingLogHandler(capture: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (key, value) in event.metadata ?? [:] { flat[key] = "\(value)" }
        capture.append(.init(level: event.level, message: event.message.description, metadata: flat))
    }
}

/// Options for tests: nothing is sealed or compacted behind the test's back (the out-of-order window is
/// ~1000 days, so the maintenance thread never finds a due window or span), no fsync cost, small chunks.
func testOptions(_ directory: String) -> StorageOptions {
    var options = StorageOptions(dataDirectory: directory)
    options.fsync = .never
    options.outOfOrderWindowMs = 1000 * dayMs
    options.headChunkPoints = 16
    return options
}

func openStore(_ options: StorageOptions, _ log: LogCapture = LogCapture()) throws -> MetricStore {
    try MetricStore(options: options, logger: log.logger)
}

func key(_ metric: String, _ tags: [String: String] = [:]) -> SeriesKey {
    SeriesKey(metric: metric, tags: tags.map { Tag(key: $0.key, value: $0.value) })
}

extension MetricStore {
    /// Appends `points` of one series as one batch.
    func write(_ ref: SeriesRef, _ points: [(Int64, Double)]) throws {
        var batch = SampleBatch()
        for (t, v) in points { batch.append(series: ref, timestampMs: t, value: v) }
        var scratch = AppendScratch()
        try append(batch, scratch: &scratch)
    }

    /// Every point of `ref`, over all time.
    func readAll(_ ref: SeriesRef) throws(StorageError) -> PointSeries {
        try read(ref, startMs: Int64.min / 2, endMs: Int64.max / 2)
    }

    /// `sealDue` under the maintenance lock, as the maintenance thread runs it.
    func sealNow(everything: Bool = true) throws {
        try maintenance.withLock { (_) throws(StorageError) in try sealDue(everything: everything) }
    }

    func compactNow(force: Bool = true) throws {
        try maintenance.withLock { (_) throws(StorageError) in try compact(force: force) }
    }

    func retentionNow() throws {
        try maintenance.withLock { (_) throws(StorageError) in try applyRetention() }
    }

    /// Seals only the open head windows that start at `startMs` (as the maintenance thread does when one
    /// window, or one late generation, becomes due while others stay open), then drops WAL segments.
    func sealWindows(startingAt startMs: Int64) throws {
        try maintenance.withLock { (_) throws(StorageError) in
            for window in head.windowsDueForSealing(everything: true) where window.startMs == startMs { try seal(window) }
            dropSealedSegments()
        }
    }

    var partitionSnapshot: [Partition] { partitions.withLock { $0 } }
}

/// The reference the store must agree with: per series, timestamp → last written value.
struct Model {
    var series: [UInt32: [Int64: Double]] = [:]

    mutating func write(_ ref: SeriesRef, _ t: Int64, _ v: Double) { series[ref.id, default: [:]][t] = v }

    func expected(_ ref: SeriesRef, startMs: Int64 = Int64.min, endMs: Int64 = Int64.max) -> PointSeries {
        let points = (series[ref.id] ?? [:]).filter { $0.key >= startMs && $0.key <= endMs }.sorted { $0.key < $1.key }
        return PointSeries(timestamps: points.map(\.key), values: points.map(\.value))
    }

    var pointCount: Int { series.values.reduce(0) { $0 + $1.count } }
}

/// Bit-exact comparison of two point series (so -0.0 and 0.0 differ), with a readable failure.
func expectSame(
    _ actual: PointSeries, _ expected: PointSeries, _ context: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let same = actual.timestamps == expected.timestamps && actual.values.map(\.bitPattern) == expected.values.map(\.bitPattern)
    if same { return }
    var firstDifference = "counts \(actual.count) vs \(expected.count)"
    for i in 0..<min(actual.count, expected.count)
    where actual.timestamps[i] != expected.timestamps[i] || actual.values[i].bitPattern != expected.values[i].bitPattern {
        firstDifference +=
            "; first difference at \(i): got (\(actual.timestamps[i]), \(actual.values[i])), want (\(expected.timestamps[i]), \(expected.values[i]))"
        break
    }
    Issue.record("\(context()): \(firstDifference)", sourceLocation: sourceLocation)
}

// MARK: files

func fileNames(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}

func readFile(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

func appendToFile(_ path: String, _ bytes: [UInt8]) {
    writeFile(path, readFile(path) + bytes)
}

func flipByte(_ path: String, at offset: Int, mask: UInt8 = 0xFF) {
    var bytes = readFile(path)
    bytes[offset] ^= mask
    writeFile(path, bytes)
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
}

/// Hex rendering for golden-byte failures.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// The partition files of a metrics directory (`.part`); each has a `.rollup` beside it, checked in RollupTests.
func partitionFileNames(_ path: String) -> [String] {
    fileNames(path).filter { $0.hasSuffix(".part") }
}
