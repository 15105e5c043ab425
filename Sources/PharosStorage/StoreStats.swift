public import PharosCore

/// What the metric store counts for `/metrics`.
public final class StoreStats: Sendable {
    public let pointsAppended = Counter()
    public let seriesCreated = Counter()
    public let partitionsSealed = Counter()
    public let compactions = Counter()
    public let replayedPoints = Counter()
    public let droppedReplayPoints = Counter()
    public let sealSeconds = Histogram(bounds: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60])
    public let compactionSeconds = Histogram(bounds: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60])
    public let maintenanceErrors = Counter()
}
