import PharosCore
/// How often the write-ahead log is made durable with `fdatasync`.
///
/// Any acknowledged write is already in the operating system's page cache (it survives `kill -9`);
/// this only decides what survives a power loss.
public enum FsyncMode: String, Sendable, CaseIterable {
    /// Every acknowledgement waits for an `fdatasync` that covers it; concurrent writers share one sync (group commit).
    case always
    /// A background thread syncs once per `fsyncIntervalMs` when something was written.
    case interval
    /// Leave it to the kernel.
    case never
}

/// Tunables of the metric store. Defaults are what the daemon runs with; tests shrink them.
public struct StorageOptions: Sendable {
    /// The data directory; everything the store writes lives below it.
    public var dataDirectory: String
    public var fsync: FsyncMode = .interval
    public var fsyncIntervalMs: Int = 1000
    /// Width of a time partition; 2 h as in Prometheus, so a sealed partition holds ~720 points per 10 s series.
    public var partitionDurationMs: Int64 = 2 * 3_600_000
    /// How far behind the newest timestamp a point may arrive and still join the open head window.
    public var outOfOrderWindowMs: Int64 = 3_600_000
    /// Partitions older than this (by their end time against the wall clock) are deleted; nil keeps everything.
    public var retentionMs: Int64?
    /// Sealed partitions within one such span (UTC-aligned) are merged into one.
    public var compactionSpanMs: Int64 = 86_400_000
    /// A WAL segment is closed and a new one started past this size.
    public var walSegmentBytes: Int = 64 << 20
    /// Points per head chunk before it is encoded; the encoded chunks are copied unchanged into partitions.
    public var headChunkPoints: Int = 512

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }
}
