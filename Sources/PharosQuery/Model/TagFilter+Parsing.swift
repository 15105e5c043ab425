extension TagFilter {
    /// A v1 `tagk=value` pair (from a `tags` map or a `{}` of `m=`), mapped as OpenTSDB's
    /// `TagVFilter.getFilter` maps it: `*` → wildcard, `a|b` → literal_or, `web*` → case-insensitive wildcard,
    /// `type(expr)` → that filter, anything else → literal_or.
    public init(tagk: String, shorthand value: String, groupBy: Bool) throws(QueryError) {
        if let open = value.firstIndex(of: "("), value.hasSuffix(")") {
            let type = String(value[..<open])
            let inner = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
            guard let kind = Kind(rawValue: type.lowercased()) else { throw QueryError("Could not find a filter plugin of type: \(type)") }
            try self.init(kind: kind, tagk: tagk, filter: inner, groupBy: groupBy)
        } else if value == "*" {
            try self.init(kind: .wildcard, tagk: tagk, filter: "*", groupBy: groupBy)
        } else if value.contains("*") {
            try self.init(kind: .iwildcard, tagk: tagk, filter: value, groupBy: groupBy)
        } else {
            try self.init(kind: .literalOr, tagk: tagk, filter: value, groupBy: groupBy)
        }
    }

    /// The filters in `{k=v,k2=v2}` text (without braces).
    static func parseBraces(_ text: Substring, groupBy: Bool) throws(QueryError) -> [TagFilter] {
        var out: [TagFilter] = []
        guard !text.isEmpty else { return out }
        for pair in splitTopLevel(text) {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw QueryError("Invalid tag filter: \(pair)")
            }
            out.append(try TagFilter(tagk: String(pair[..<eq]), shorthand: String(pair[pair.index(after: eq)...]), groupBy: groupBy))
        }
        return out
    }

    /// Splits on commas that are not inside parentheses (a regexp may contain commas).
    private static func splitTopLevel(_ text: Substring) -> [Substring] {
        var out: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "," where depth == 0:
                out.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        out.append(text[start...])
        return out
    }
}
