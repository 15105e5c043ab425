import PharosCore

/// A `SeriesLookupQuery` compiled into a predicate on series keys, after checking that every name it
/// mentions exists (OpenTSDB resolves each name to a UID first and fails on an unknown one).
///
/// Tag key groups: a key maps to nil (any value, `k=*` wins over listed values) or to the allowed values.
struct SeriesLookupFilter {
    var metric: String?
    var keys: [String: Set<String>?] = [:]
    /// Value-only patterns: a series must carry one of these values under some key.
    var anyOfValues = Set<String>()
    /// A `*=*` pattern: the series must have at least one tag.
    var needsAnyTag = false

    init(
        _ query: SeriesLookupQuery, knownMetric: (String) -> Bool, knownKey: (String) -> Bool, knownValue: (String) -> Bool
    ) throws(SeriesLookupQuery.UnknownName) {
        if let name = query.metric {
            guard knownMetric(name) else { throw SeriesLookupQuery.UnknownName(kind: .metric, name: name) }
            metric = name
        }
        for pattern in query.tags {
            if let key = pattern.key, !knownKey(key) { throw SeriesLookupQuery.UnknownName(kind: .tagKey, name: key) }
            if let value = pattern.value, !knownValue(value) { throw SeriesLookupQuery.UnknownName(kind: .tagValue, name: value) }
            switch (pattern.key, pattern.value) {
            case (nil, nil): needsAnyTag = true
            case (nil, let value?): anyOfValues.insert(value)
            case (let key?, nil): keys[key] = .some(nil)
            case (let key?, let value?):
                if let existing = keys[key] {
                    if var values = existing {
                        values.insert(value)
                        keys[key] = .some(values)
                    }
                } else {
                    keys[key] = .some([value])
                }
            }
        }
    }

    func matches(_ key: SeriesKey) -> Bool {
        if let metric, key.metric != metric { return false }
        if needsAnyTag && key.tags.isEmpty { return false }
        for (name, values) in keys {
            guard let value = key.tagValue(name) else { return false }
            if let values, !values.contains(value) { return false }
        }
        if !anyOfValues.isEmpty && !key.tags.contains(where: { anyOfValues.contains($0.value) }) { return false }
        return true
    }
}
