/// One `key → value` pair of a span's tags (`http.path → /api`).
///
/// Ordered by key in Java's `String.compareTo` order, because Zipkin keeps tags in a `TreeMap` and its
/// API writes them in that order; a span keeps its tags sorted with unique keys.
public struct SpanTag: Sendable, Hashable, Comparable {
    public var key: String
    public var value: String

    /// The tag `key` with `value` (which may be empty: Zipkin's `error → ""`).
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public static func < (lhs: SpanTag, rhs: SpanTag) -> Bool {
        JavaStringOrder.precedes(lhs.key, rhs.key)
    }
}
