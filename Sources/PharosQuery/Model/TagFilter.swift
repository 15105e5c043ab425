/// One tag filter of a sub-query (`{"type":"wildcard","tagk":"host","filter":"web*","groupBy":true}`):
/// which series it keeps, and whether its key splits the result into groups.
///
/// A series without the key never matches, except for `not_key` which keeps exactly those.
public struct TagFilter: Sendable, Equatable {
    /// OpenTSDB's built-in filter types.
    public enum Kind: String, Sendable, CaseIterable {
        case literalOr = "literal_or", iliteralOr = "iliteral_or", notLiteralOr = "not_literal_or"
        case notIliteralOr = "not_iliteral_or", wildcard, iwildcard, regexp, notKey = "not_key"
    }

    public var kind: Kind
    public var tagk: String
    public var filter: String
    public var groupBy: Bool
    private let literals: Set<String>
    private let globParts: [Substring]
    private let regex: RegexBox?

    /// Builds a filter; throws OpenTSDB's message for an invalid expression.
    public init(kind: Kind, tagk: String, filter: String, groupBy: Bool) throws(QueryError) {
        guard !tagk.isEmpty else { throw QueryError("Filter must have a tag key") }
        self.kind = kind
        self.tagk = tagk
        self.filter = filter
        self.groupBy = groupBy
        var literals: Set<String> = []
        var globParts: [Substring] = []
        var regex: RegexBox?
        switch kind {
        case .literalOr, .notLiteralOr:
            literals = Set(filter.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
        case .iliteralOr, .notIliteralOr:
            literals = Set(filter.split(separator: "|", omittingEmptySubsequences: false).map { $0.lowercased() })
        case .wildcard, .iwildcard:
            guard filter.contains("*") else { throw QueryError("Filter must contain an asterisk") }
            let pattern = kind == .iwildcard ? filter.lowercased() : filter
            globParts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        case .regexp:
            do { regex = RegexBox(try Regex(filter)) } catch { throw QueryError("Invalid regular expression: \(filter)") }
        case .notKey:
            guard filter.isEmpty else { throw QueryError("The filter must be empty for not_key") }
        }
        self.literals = literals
        self.globParts = globParts
        self.regex = regex
    }

    /// Whether a series whose value for `tagk` is `value` (nil: the series lacks the key) is kept.
    public func matches(_ value: String?) -> Bool {
        guard let value else { return kind == .notKey }
        switch kind {
        case .literalOr: return literals.contains(value)
        case .iliteralOr: return literals.contains(value.lowercased())
        case .notLiteralOr: return !literals.contains(value)
        case .notIliteralOr: return !literals.contains(value.lowercased())
        case .wildcard: return Self.glob(globParts, value[...])
        case .iwildcard: return Self.glob(globParts, value.lowercased()[...])
        case .regexp: return (try? regex!.regex.firstMatch(in: value)) != nil
        case .notKey: return false
        }
    }

    public static func == (lhs: TagFilter, rhs: TagFilter) -> Bool {
        lhs.kind == rhs.kind && lhs.tagk == rhs.tagk && lhs.filter == rhs.filter && lhs.groupBy == rhs.groupBy
    }

    /// `*`-glob: the parts between stars must appear in order, the first anchored at the start and the last
    /// at the end.
    static func glob(_ parts: [Substring], _ value: Substring) -> Bool {
        guard parts.count > 1 else { return parts.first.map { $0 == value } ?? true }
        guard value.hasPrefix(parts[0]) else { return false }
        var rest = value.dropFirst(parts[0].count)
        let last = parts[parts.count - 1]
        for middle in parts[1..<(parts.count - 1)] where !middle.isEmpty {
            guard let range = rest.firstRange(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}

/// Holds a compiled `Regex` (not `Sendable` by type) that is only ever read.
final class RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}
