import PharosCore

/// Builders mirroring the helpers of Zipkin's tests, so each ported case reads like the original.
enum Z {
    /// A Zipkin id written in lower hex without padding (`"a"` is 10).
    static func id(_ hex: String) -> UInt64 {
        guard let value = UInt64(hex, radix: 16) else { preconditionFailure("BUG: bad hex id \(hex)") }
        return value
    }

    /// Trace id fields for a 1–32 character lower-hex trace id: 32 characters are a 128-bit id.
    static func traceId(_ hex: String) -> (high: UInt64, low: UInt64, is128Bit: Bool) {
        if hex.count <= 16 { return (0, id(hex), false) }
        let split = hex.index(hex.endIndex, offsetBy: -16)
        return (id(String(hex[..<split])), id(String(hex[split...])), hex.count > 16)
    }

    /// `a.b.c.d` as the `UInt32` the model stores.
    static func ipv4(_ text: String) -> UInt32 {
        text.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
    }

    /// A span with the usual fields; ids in hex, `parent` nil for a root.
    static func span(
        trace: String, parent: String? = nil, id spanId: String, kind: SpanKind? = nil, name: String? = nil,
        timestampUs: Int64 = 0, durationUs: Int64 = 0, local: Endpoint? = nil, remote: Endpoint? = nil,
        annotations: [SpanAnnotation] = [], tags: [SpanTag] = [], shared: Bool = false
    ) -> Span {
        let t = traceId(trace)
        return Span(
            traceIdHigh: t.high, traceIdLow: t.low, traceIdIs128Bit: t.is128Bit, parentId: parent.map(id) ?? 0,
            id: id(spanId), kind: kind, name: name, timestampUs: timestampUs, durationUs: durationUs,
            localEndpoint: local, remoteEndpoint: remote, annotations: annotations, tags: tags, shared: shared)
    }

    /// `DependencyLinkerTest.span`: service names only, and an `error → ""` tag when `isError`.
    static func linkerSpan(
        _ trace: String, _ parent: String?, _ spanId: String, _ kind: SpanKind?, _ local: String?, _ remote: String?,
        _ isError: Bool
    ) -> Span {
        span(
            trace: trace, parent: parent, id: spanId, kind: kind, local: local.map { Endpoint(serviceName: $0) },
            remote: remote.map { Endpoint(serviceName: $0) }, tags: isError ? [SpanTag(key: "error", value: "")] : [])
    }

    /// `TraceTest.span`: a local endpoint from a service name and/or IPv4 address, and the shared flag.
    static func mergeSpan(
        _ trace: String, _ parent: String?, _ spanId: String, _ kind: SpanKind?, _ local: String?, _ ip: String?,
        _ shared: Bool
    ) -> Span {
        let endpoint = local == nil && ip == nil ? nil : Endpoint(serviceName: local, ipv4: ip.map(ipv4))
        return span(trace: trace, parent: parent, id: spanId, kind: kind, local: endpoint, shared: shared)
    }

    /// A link with Zipkin's defaults.
    static func link(_ parent: String, _ child: String, _ calls: Int64, errors: Int64 = 0) -> DependencyLink {
        DependencyLink(parent: parent, child: child, callCount: calls, errorCount: errors)
    }

    /// Links of one trace.
    static func links(_ spans: [Span]) -> [DependencyLink] { DependencyLinker.links(inTrace: spans) }

    /// `DependencyLinkerTest.TRACE`, in reverse order as reporting is more likely to occur this way.
    static let trace: [Span] = [
        linkerSpan("a", "b", "c", .client, "app", "db", true),
        with(linkerSpan("a", "a", "b", .server, "app", "web", false)) { $0.shared = true },
        linkerSpan("a", "a", "b", .client, "web", "app", false),
        linkerSpan("a", nil, "a", .server, "web", nil, false),
    ]

    /// `span` changed by `change` (Zipkin's `toBuilder()…build()`).
    static func with(_ span: Span, _ change: (inout Span) -> Void) -> Span {
        var copy = span
        change(&copy)
        return copy
    }

    /// `endpoint` with another port or service name.
    static func endpoint(_ endpoint: Endpoint, port: UInt16? = nil, serviceName: String? = nil) -> Endpoint {
        var copy = endpoint
        if let port { copy.port = port }
        if let serviceName { copy.serviceName = serviceName }
        return copy
    }
}
