import PharosCore
/// One sub-query of an OpenTSDB `/api/query` request: metric, tag filters, aggregator, downsample.
public struct MetricQuery: Sendable {
    public var metric: String
    public var aggregator: Aggregator
    public var downsample: Downsample?
    /// `tagk → value`: a literal, `a|b` alternatives, or `*` to group by the key.
    public var tags: [String: String]

    public init(metric: String, aggregator: Aggregator, downsample: Downsample? = nil, tags: [String: String] = [:]) {
        self.metric = metric
        self.aggregator = aggregator
        self.downsample = downsample
        self.tags = tags
    }
}

/// One output series: the group's common tags, the keys aggregated away, and its points.
public struct QueryResult: Sendable, Equatable {
    public var metric: String
    public var tags: [String: String]
    public var aggregateTags: [String]
    public var timestamps: [Int64]
    public var values: [Double]
}
