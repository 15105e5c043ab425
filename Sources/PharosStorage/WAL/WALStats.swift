public import PharosCore

/// Counters the WAL keeps for `/metrics`.
public final class WALStats: Sendable {
    public let bytesWritten = Counter()
    public let fsyncs = Counter()
    public let fsyncSeconds = Histogram()
    public let segmentsCreated = Counter()
    public let tornRecords = Counter()
    public let corruptRecords = Counter()
    public let replayedRecords = Counter()
}
