/// A timestamped event inside a span (Zipkin's `Annotation`), e.g. `brave.flush` or `wr`.
///
/// Ordered by timestamp, then value, in Java's `String.compareTo` order, as Zipkin sorts a span's
/// annotations; a span keeps them sorted and without exact duplicates.
public struct SpanAnnotation: Sendable, Hashable, Comparable {
    /// Epoch microseconds of the event.
    public var timestampUs: Int64
    /// What happened; any UTF-8 text.
    public var value: String

    /// An annotation at `timestampUs` saying `value`.
    public init(timestampUs: Int64, value: String) {
        self.timestampUs = timestampUs
        self.value = value
    }

    public static func < (lhs: SpanAnnotation, rhs: SpanAnnotation) -> Bool {
        if lhs.timestampUs != rhs.timestampUs { return lhs.timestampUs < rhs.timestampUs }
        return JavaStringOrder.precedes(lhs.value, rhs.value)
    }
}
