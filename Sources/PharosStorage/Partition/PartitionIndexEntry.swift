import PharosCore
/// Where one series' chunks sit inside a partition file, and what time range and count they hold.
///
/// One row of the catalog's `chunkIndex` table; kept in memory per open partition.
struct PartitionIndexEntry: Sendable, Equatable {
    var seriesID: UInt32
    /// File offset of the page header holding the chunks.
    var pageOffset: Int64
    /// Offset of the first chunk inside the page's decompressed bytes.
    var offsetInPage: Int32
    var byteLength: Int32
    var minTimestampMs: Int64
    var maxTimestampMs: Int64
    var pointCount: Int32
}
