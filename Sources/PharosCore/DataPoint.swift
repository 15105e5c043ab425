/// One sample of a series: a time in milliseconds since the Unix epoch and a value.
///
/// Units are normalised once, at the ingest boundary: OpenTSDB's seconds become milliseconds there.
public struct DataPoint: Hashable, Sendable {
    public var timestampMs: Int64
    public var value: Double

    public init(timestampMs: Int64, value: Double) {
        self.timestampMs = timestampMs
        self.value = value
    }
}
