/// What a span's `remoteEndpoint` means: the role of the local side of a remote call or message.
///
/// Raw values are the `Span.Kind` numbers of Zipkin's `zipkin.proto` (0 there is "unspecified", which
/// Pharos models as a nil kind: a local span), so a proto decoder maps a varint with no table.
public enum SpanKind: UInt8, Sendable, Hashable, CaseIterable {
    case client = 1
    case server = 2
    case producer = 3
    case consumer = 4

    /// The upper-case name Zipkin's JSON uses (`CLIENT`, `SERVER`, `PRODUCER`, `CONSUMER`).
    public var zipkinName: String {
        switch self {
        case .client: "CLIENT"
        case .server: "SERVER"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        }
    }
}
