/// What the telnet fast path found in a `put` line: byte ranges into the line, not copies.
///
/// The server hashes `line[metric]` and `line[tags]` to look up a series it has already validated;
/// `timestampMs` is already normalised to milliseconds.
public struct RawPut: Sendable, Hashable {
    /// Byte range of the metric name in the line.
    public var metric: Range<Int>
    /// Byte range from the first tag word to the end of the line, exactly as sent.
    public var tags: Range<Int>
    /// Milliseconds since the epoch (seconds were multiplied by 1000).
    public var timestampMs: Int64
    /// The value, correctly rounded from its decimal text.
    public var value: Double

    /// Creates a raw put; the ranges must lie inside the line they were found in.
    public init(metric: Range<Int>, tags: Range<Int>, timestampMs: Int64, value: Double) {
        self.metric = metric
        self.tags = tags
        self.timestampMs = timestampMs
        self.value = value
    }
}
