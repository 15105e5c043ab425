/// One sub-query of `/api/query` (OpenTSDB's `TSSubQuery`): a metric (or TSUIDs), filters, an optional
/// downsampler and rate, and the aggregator that combines each group's series.
public struct SubQuery: Sendable, Equatable {
    public var aggregator: Aggregator
    public var metric: String
    /// Explicit series, instead of metric + filters (`tsuid=` / `"tsuids"`).
    public var tsuids: [String]
    public var filters: [TagFilter]
    public var downsample: DownsampleSpec?
    public var rate: Bool
    public var rateOptions: RateOptions
    /// Only series whose tag keys are exactly the filters' keys.
    public var explicitTags: Bool
    /// Histogram percentiles; Pharos stores no histograms, so a non-empty list is refused.
    public var percentiles: [Double]
    /// Position in the request, echoed by `showQuery`.
    public var index: Int

    public init(
        aggregator: Aggregator, metric: String, tsuids: [String] = [], filters: [TagFilter] = [], downsample: DownsampleSpec? = nil,
        rate: Bool = false, rateOptions: RateOptions = RateOptions(), explicitTags: Bool = false, percentiles: [Double] = [], index: Int = 0
    ) {
        self.aggregator = aggregator
        self.metric = metric
        self.tsuids = tsuids
        self.filters = filters
        self.downsample = downsample
        self.rate = rate
        self.rateOptions = rateOptions
        self.explicitTags = explicitTags
        self.percentiles = percentiles
        self.index = index
    }

    /// Tag keys that split the result into groups, sorted.
    var groupByKeys: [String] {
        Array(Set(filters.filter(\.groupBy).map(\.tagk))).sorted()
    }
}
