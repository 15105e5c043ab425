public import PharosCore

/// What the server counts for `/metrics`.
public final class ServerStats: Sendable {
    public let pointsAccepted = Counter()
    public let pointsRejected = Counter()
    public let telnetConnections = Gauge()
    public let httpSeconds = Histogram()
    public let limitHits = Counter()
    public let storageErrors = Counter()
    public init() {}
}
