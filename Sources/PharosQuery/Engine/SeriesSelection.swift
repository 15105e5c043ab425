import PharosCore
import PharosStorage

/// The series a sub-query reads, split into output groups, with OpenTSDB's group tags.
struct SeriesSelection {
    struct Group {
        var members: [(SeriesRef, SeriesKey)]
        var tags: [String: String]
        var aggregateTags: [String]
    }

    var groups: [Group]

    /// Resolves, filters and groups; throws `No such name for 'metrics'` for a metric never written.
    init(_ query: SubQuery, source: any MetricSource) throws(QueryError) {
        var candidates: [(SeriesRef, SeriesKey)]
        if query.tsuids.isEmpty {
            candidates = source.series(metric: query.metric)
            guard !candidates.isEmpty else { throw QueryError.noSuchMetric(query.metric) }
        } else {
            candidates = []
            for tsuid in query.tsuids {
                guard let ref = SeriesRef(tsuid: tsuid.uppercased()), let key = source.key(of: ref) else {
                    throw QueryError("No such name for 'tsuids': '\(tsuid)'")
                }
                candidates.append((ref, key))
            }
        }
        let filterKeys = Set(query.filters.map(\.tagk))
        let selected = candidates.filter { _, key in
            if query.explicitTags && Set(key.tags.map(\.key)) != filterKeys { return false }
            return query.filters.allSatisfy { $0.matches(key.tagValue($0.tagk)) }
        }
        var byKey: [[String]: [(SeriesRef, SeriesKey)]] = [:]
        if query.aggregator.function == .none {
            groups = selected.map { Self.group([$0]) }
            return
        }
        let groupKeys = query.groupByKeys
        for entry in selected {
            byKey[groupKeys.map { entry.1.tagValue($0) ?? "" }, default: []].append(entry)
        }
        groups = byKey.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { Self.group($0.value) }
    }

    /// OpenTSDB ≥ 2.2 `SpanGroup.computeTags`: a key seen with one value wherever it appears is a tag,
    /// a key seen with several values is aggregated.
    static func group(_ members: [(SeriesRef, SeriesKey)]) -> Group {
        var seen: [String: String] = [:]
        var aggregated: Set<String> = []
        for (_, key) in members {
            for tag in key.tags where !aggregated.contains(tag.key) {
                if let value = seen[tag.key], value != tag.value {
                    aggregated.insert(tag.key)
                    seen[tag.key] = nil
                } else {
                    seen[tag.key] = tag.value
                }
            }
        }
        return Group(members: members, tags: seen, aggregateTags: aggregated.sorted())
    }
}
