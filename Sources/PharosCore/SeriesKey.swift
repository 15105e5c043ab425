/// The identity of a time series: a metric name and its tags, sorted by key.
///
/// Two writes with the same metric and the same tags in any order name the same series; the sorted
/// form is what storage hashes, persists and compares.
public struct SeriesKey: Hashable, Sendable, CustomStringConvertible {
    public let metric: String
    /// Sorted by key; keys are unique.
    public let tags: [Tag]

    /// Sorts `tags`; callers have already rejected duplicate keys.
    public init(metric: String, tags: [Tag]) {
        self.metric = metric
        self.tags = tags.sorted()
    }

    /// `metric{k1=v1,k2=v2}` — the canonical text form, used in the catalog and in logs.
    public var description: String {
        var out = metric
        out += "{"
        for (index, tag) in tags.enumerated() {
            if index > 0 { out += "," }
            out += tag.key
            out += "="
            out += tag.value
        }
        out += "}"
        return out
    }

    /// The value of tag `key`, if the series has it.
    public func tagValue(_ key: String) -> String? {
        tags.first { $0.key == key }?.value
    }

    /// Parses the canonical text form written by `description`; nil when it is not one.
    public init?(canonical text: String) {
        guard let open = text.firstIndex(of: "{"), text.last == "}" else { return nil }
        let metric = String(text[..<open])
        let body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var tags: [Tag] = []
        if !body.isEmpty {
            for pair in body.split(separator: ",", omittingEmptySubsequences: false) {
                guard let eq = pair.firstIndex(of: "=") else { return nil }
                tags.append(Tag(key: String(pair[..<eq]), value: String(pair[pair.index(after: eq)...])))
            }
        }
        self.init(metric: metric, tags: tags)
    }
}
