/// The network context of one side of a span (Zipkin's `Endpoint`): a service name and its address.
///
/// Zero and nil mean "unknown", as in Zipkin: an endpoint with nothing known is dropped from its span
/// (`isEmpty`). Decoders store `serviceName` lower-cased and never empty, as Zipkin's builder does.
/// An IPv4-mapped or -compatible address arrives as `ipv4`, never as `ipv6`.
public struct Endpoint: Sendable, Hashable {
    /// Lower-case service label (`frontend`); nil when unknown.
    public var serviceName: String?
    /// IPv4 address, the first octet in the most significant byte (`10.0.0.1` is `0x0A00_0001`).
    public var ipv4: UInt32?
    /// IPv6 address.
    public var ipv6: IPv6Address?
    /// Port of the socket; 0 when unknown.
    public var port: UInt16

    /// An endpoint; all parts default to unknown.
    public init(serviceName: String? = nil, ipv4: UInt32? = nil, ipv6: IPv6Address? = nil, port: UInt16 = 0) {
        self.serviceName = serviceName
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.port = port
    }

    /// True when nothing is known: Zipkin then drops the endpoint from the span.
    public var isEmpty: Bool { serviceName == nil && ipv4 == nil && ipv6 == nil && port == 0 }
}
