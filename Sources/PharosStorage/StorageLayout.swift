import PharosCore
/// Every file and directory name the store uses, in one place (see `Storage/FORMAT.md`).
struct StorageLayout: Sendable {
    let root: String

    var walDirectory: String { root + "/wal" }
    var metricsDirectory: String { root + "/metrics" }
    var catalogPath: String { root + "/catalog.sqlite" }
    var lockPath: String { root + "/LOCK" }

    func walSegmentPath(_ index: UInt32) -> String {
        walDirectory + "/" + Self.padded(UInt64(index), width: 8) + ".wal"
    }

    /// Parses a segment file name back into its index; nil for anything else in the directory.
    static func walSegmentIndex(fileName: String) -> UInt32? {
        guard fileName.hasSuffix(".wal"), fileName.count == 12 else { return nil }
        return UInt32(fileName.prefix(8))
    }

    func partitionFileName(startMs: Int64, id: Int64) -> String {
        "p" + Self.padded(UInt64(max(0, startMs)), width: 13) + "-" + Self.padded(UInt64(id), width: 8) + ".part"
    }

    func partitionPath(_ fileName: String) -> String { metricsDirectory + "/" + fileName }

    /// `pSTART-ID.part` → `metrics/pSTART-ID.rollup`, the partition's pre-aggregates.
    func rollupPath(_ fileName: String) -> String {
        metricsDirectory + "/" + (fileName.hasSuffix(".part") ? String(fileName.dropLast(5)) : fileName) + ".rollup"
    }

    static func padded(_ value: UInt64, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension StorageLayout {
    /// Span partitions, under the span store's root (`spans/`).
    var spanPartitionDirectory: String { root + "/partitions" }

    func spanPartitionFileName(hourMs: Int64, id: Int64) -> String {
        "s" + Self.padded(UInt64(max(0, hourMs)), width: 13) + "-" + Self.padded(UInt64(id), width: 8) + ".spans"
    }

    func spanPartitionPath(_ fileName: String) -> String { spanPartitionDirectory + "/" + fileName }
}
