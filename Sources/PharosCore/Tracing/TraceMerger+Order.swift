extension TraceMerger {
    /// The spans normalised and stably sorted in Zipkin's cleanup order (`Trace.CLEANUP_COMPARATOR`), which
    /// compares spans as Zipkin's builder leaves them (no `shared` client, see `sideRank`).
    static func cleanupOrder(_ spans: [Span]) -> [Span] {
        let order = spans.indices.sorted { a, b in
            let c = compareForCleanup(spans[a], spans[b])
            return c < 0 || (c == 0 && a < b)
        }
        return order.map { normalized(spans[$0]) }
    }

    /// Three-way cleanup comparison: span id; then clients, other non-shared spans, shared spans; then local
    /// endpoint with none first. Negative when `lhs` sorts first.
    static func compareForCleanup(_ lhs: Span, _ rhs: Span) -> Int {
        if lhs.id != rhs.id { return lhs.id < rhs.id ? -1 : 1 }  // fixed-width lower hex sorts as the number
        let bySide = sideRank(lhs) - sideRank(rhs)
        if bySide != 0 { return bySide }
        return compareEndpoints(lhs.localEndpoint, rhs.localEndpoint)
    }

    /// 0 for a client, 1 for another non-shared span, 2 for a shared span: a client's data comes first.
    /// A client is never shared (the flag is dropped on normalising), so it ranks 0 either way.
    private static func sideRank(_ span: Span) -> Int {
        span.kind == .client ? 0 : (span.shared ? 2 : 1)
    }

    /// No endpoint first; then service name, IPv4, IPv6, each with an absent value last.
    private static func compareEndpoints(_ lhs: Endpoint?, _ rhs: Endpoint?) -> Int {
        guard let lhs else { return rhs == nil ? 0 : -1 }
        guard let rhs else { return 1 }
        let byService = absentLast(lhs.serviceName, rhs.serviceName) { l, r in
            JavaStringOrder.precedes(l, r) ? -1 : (JavaStringOrder.precedes(r, l) ? 1 : 0)
        }
        if byService != 0 { return byService }
        let byIPv4 = absentLast(lhs.ipv4, rhs.ipv4, compareIPv4Text)
        if byIPv4 != 0 { return byIPv4 }
        return absentLast(lhs.ipv6, rhs.ipv6) { l, r in
            (l.high, l.low) < (r.high, r.low) ? -1 : ((l.high, l.low) == (r.high, r.low) ? 0 : 1)
        }
    }

    private static func absentLast<T>(_ lhs: T?, _ rhs: T?, _ compare: (T, T) -> Int) -> Int {
        guard let lhs else { return rhs == nil ? 0 : 1 }
        guard let rhs else { return -1 }
        return compare(lhs, rhs)
    }

    /// Orders two IPv4 addresses as Zipkin orders their dotted text (`10.0.0.1` before `9.0.0.1`), without
    /// building the text: octet by octet, by the decimal digits, a shorter prefix first ('.' sorts before
    /// every digit).
    static func compareIPv4Text(_ lhs: UInt32, _ rhs: UInt32) -> Int {
        for shift in stride(from: 24, through: 0, by: -8) {
            let l = decimalTextKey(UInt8(truncatingIfNeeded: lhs >> UInt32(shift)))
            let r = decimalTextKey(UInt8(truncatingIfNeeded: rhs >> UInt32(shift)))
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }

    /// A number whose order is the text order of `octet` in decimal: each digit + 1 in a base-11 place,
    /// left-aligned, 0 where the text has ended.
    private static func decimalTextKey(_ octet: UInt8) -> Int {
        let v = Int(octet)
        if v >= 100 { return (v / 100 + 1) * 121 + (v / 10 % 10 + 1) * 11 + (v % 10 + 1) }
        if v >= 10 { return (v / 10 + 1) * 121 + (v % 10 + 1) * 11 }
        return (v + 1) * 121
    }
}
