public import PharosCore

/// One point of an `/api/put` body that passed OpenTSDB's per-point parsing checks.
///
/// Series validation (tag count, character set) is separate — `JSONPutParser.seriesKey(_:limits:)` —
/// so a server can skip it for series it has already seen, keyed by `rawMetric` and `rawTags`.
public struct JSONPut: Sendable, Equatable {
    /// The metric name, JSON escapes decoded.
    public var metric: String
    /// Tags in the order first sent; a repeated key keeps its last value (Jackson's map semantics).
    public var tags: [Tag]
    /// Milliseconds since the epoch.
    public var timestampMs: Int64
    /// The value, correctly rounded from its text.
    public var value: Double
    /// Byte range of the metric in the body: string contents without quotes (escapes not decoded).
    public var rawMetric: Range<Int>
    /// Byte range of the tags object in the body, braces included.
    public var rawTags: Range<Int>
    /// The timestamp as sent (seconds or milliseconds), for echoing the point in errors.
    public var timestamp: Int64
    /// The value's text as OpenTSDB keeps it (a JSON number's literal or a string's contents).
    public var valueText: String
    /// The optional `tsuid` field, echoed in errors as OpenTSDB does.
    public var tsuid: String?

    /// Creates a point; `JSONPutParser` is the usual source.
    public init(
        metric: String, tags: [Tag], timestampMs: Int64, value: Double, rawMetric: Range<Int>, rawTags: Range<Int>,
        timestamp: Int64, valueText: String, tsuid: String? = nil
    ) {
        self.metric = metric
        self.tags = tags
        self.timestampMs = timestampMs
        self.value = value
        self.rawMetric = rawMetric
        self.rawTags = rawTags
        self.timestamp = timestamp
        self.valueText = valueText
        self.tsuid = tsuid
    }

    /// The point as OpenTSDB echoes it in a `details` error (`{"metric":…,"timestamp":…,…}`).
    public var datapointJSON: String {
        var map = JavaTagMap()
        for tag in tags { map.put(JavaTagMap.Entry(key: tag.key, value: tag.value)) }
        return OpenTSDBResponses.datapointJSON(
            metric: metric, timestamp: timestamp, value: valueText, tags: map, tsuid: tsuid)
    }
}

/// One point of an `/api/put` body: parsed, or rejected with OpenTSDB's per-point error.
public enum JSONPutItem: Sendable, Equatable {
    /// A point that still needs `JSONPutParser.seriesKey` unless its series is cached.
    case point(JSONPut)
    /// A rejected point and its echo, as OpenTSDB lists it in `details` errors.
    case failed(PutError, datapoint: String)
}
