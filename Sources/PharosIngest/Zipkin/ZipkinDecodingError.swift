/// A Zipkin span body was rejected. zipkin-server rejects the whole body (HTTP 400, nothing stored) when
/// any span in it fails, answering with the exception message as a text body; `message` is that text.
///
/// zipkin-server's collector (`ZipkinHttpCollector.validateAndStoreSpans` → `Collector.acceptSpans`)
/// decodes the complete list before storing anything, and any `IllegalArgumentException` of the decoder
/// becomes a 400 with `BodyIsExceptionMessage`. Pharos does the same; `spanIndex` and `byteOffset` are
/// extra, for logs.
public struct ZipkinDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zipkin's message, e.g. `traceId should be lower-hex encoded with no prefix reading List<Span> from json`.
    public var message: String
    /// Index of the span (in the body's list) that failed; nil when the body itself is malformed.
    public var spanIndex: Int?
    /// Byte offset in the body where decoding stopped.
    public var byteOffset: Int
    /// The HTTP status zipkin-server answers: always 400.
    public var status: Int { 400 }

    /// An error with Zipkin's full `message`.
    public init(message: String, spanIndex: Int?, byteOffset: Int) {
        self.message = message
        self.spanIndex = spanIndex
        self.byteOffset = byteOffset
    }

    public var description: String { message }
}
