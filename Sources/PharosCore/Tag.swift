/// One `key=value` pair of a series' identity.
///
/// Tags are compared by key, then value, so a sorted tag list is the canonical form of a series.
public struct Tag: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public static func < (lhs: Tag, rhs: Tag) -> Bool {
        lhs.key == rhs.key ? lhs.value < rhs.value : lhs.key < rhs.key
    }

    public var description: String { "\(key)=\(value)" }
}
