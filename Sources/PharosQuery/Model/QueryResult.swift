public import PharosCore

/// One output series of `/api/query`: a group of one sub-query with its tags and points.
public struct QueryResult: Sendable, Equatable {
    public var metric: String
    /// Tag keys with a single value across the group's series.
    public var tags: [String: String]
    /// Tag keys with several values across the group's series, sorted.
    public var aggregateTags: [String]
    /// The group's series, sorted.
    public var tsuids: [String]
    public var timestamps: [Int64]
    public var values: [Double]
    /// Whether each value is a long result (rendered without a fraction) rather than a double.
    public var integral: [Bool]
    /// The sub-query it answers.
    public var queryIndex: Int
    /// Render NaN as `null` (fill policy `null`) instead of `"NaN"`.
    public var nanAsNull: Bool
    public var annotations: [Annotation]
    /// Raw points read for the group (for `showSummary`).
    public var rawPoints: Int

    public init(
        metric: String, tags: [String: String] = [:], aggregateTags: [String] = [], tsuids: [String] = [], timestamps: [Int64] = [],
        values: [Double] = [], integral: [Bool] = [], queryIndex: Int = 0, nanAsNull: Bool = false, annotations: [Annotation] = [],
        rawPoints: Int = 0
    ) {
        self.metric = metric
        self.tags = tags
        self.aggregateTags = aggregateTags
        self.tsuids = tsuids
        self.timestamps = timestamps
        self.values = values
        self.integral = integral
        self.queryIndex = queryIndex
        self.nanAsNull = nanAsNull
        self.annotations = annotations
        self.rawPoints = rawPoints
    }
}
