/// What `/api/search/lookup` asks for: an optional metric and tag patterns, either side of which may be a
/// wildcard.
///
/// Semantics are OpenTSDB's `TimeSeriesLookup`: patterns with the same tag key are OR'd (a wildcard value
/// wins over listed values), different keys are AND'd, value-only patterns (`*=web01`) are OR'd with each
/// other and AND'd with the rest.
public struct SeriesLookupQuery: Sendable, Equatable {
    /// One `key=value` pattern; nil stands for OpenTSDB's `*` (or an empty side).
    public struct TagPattern: Sendable, Equatable {
        public var key: String?
        public var value: String?

        public init(key: String?, value: String?) {
            self.key = key
            self.value = value
        }
    }

    /// Which of the three name spaces a name belongs to (OpenTSDB's UID types).
    public enum NameKind: Sendable, Equatable {
        case metric, tagKey, tagValue

        /// OpenTSDB's name for the kind in error messages (`No such name for 'metrics': …`).
        public var openTSDBName: String {
            switch self {
            case .metric: "metrics"
            case .tagKey: "tagk"
            case .tagValue: "tagv"
            }
        }
    }

    /// A name in the query that no series has: OpenTSDB cannot resolve it to a UID and fails the lookup.
    public struct UnknownName: Error, Sendable, Equatable, CustomStringConvertible {
        public var kind: NameKind
        public var name: String

        public var description: String { "No such name for '\(kind.openTSDBName)': '\(name)'" }
    }

    /// nil (or `*`) matches every metric.
    public var metric: String?
    public var tags: [TagPattern]

    public init(metric: String?, tags: [TagPattern]) {
        self.metric = metric == "*" || metric?.isEmpty == true ? nil : metric
        self.tags = tags.map { TagPattern(key: $0.key == "*" ? nil : $0.key, value: $0.value == "*" ? nil : $0.value) }
    }
}
