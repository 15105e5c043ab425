import PharosCore

/// A plain protobuf writer of `ListOfSpans` for tests and benchmarks, written from `zipkin.proto`'s field
/// numbers the way `Proto3SpanWriter` orders them (zero and absent fields omitted).
enum ZipkinProto3TestEncoder {
    static func encode(_ spans: [Span]) -> [UInt8] {
        var out: [UInt8] = []
        for s in spans { message(1, span(s), &out) }
        return out
    }

    static func span(_ s: Span) -> [UInt8] {
        var b: [UInt8] = []
        var trace: [UInt8] = []
        if s.traceIdIs128Bit { trace += bigEndian(s.traceIdHigh) }
        trace += bigEndian(s.traceIdLow)
        message(1, trace, &b)
        if s.parentId != 0 { message(2, bigEndian(s.parentId), &b) }
        message(3, bigEndian(s.id), &b)
        if let k = s.kind { key(4, 0, &b); varint(UInt64(k.rawValue), &b) }
        if let n = s.name { message(5, Array(n.utf8), &b) }
        if s.timestampUs != 0 { key(6, 1, &b); b += littleEndian(UInt64(bitPattern: s.timestampUs)) }
        if s.durationUs != 0 { key(7, 0, &b); varint(UInt64(bitPattern: s.durationUs), &b) }
        if let e = s.localEndpoint { message(8, endpoint(e), &b) }
        if let e = s.remoteEndpoint { message(9, endpoint(e), &b) }
        for a in s.annotations {
            var m: [UInt8] = []
            key(1, 1, &m)
            m += littleEndian(UInt64(bitPattern: a.timestampUs))
            message(2, Array(a.value.utf8), &m)
            message(10, m, &b)
        }
        for t in s.tags {
            var m: [UInt8] = []
            message(1, Array(t.key.utf8), &m)
            message(2, Array(t.value.utf8), &m)
            message(11, m, &b)
        }
        if s.debug { key(12, 0, &b); b.append(1) }
        if s.shared { key(13, 0, &b); b.append(1) }
        return b
    }

    static func endpoint(_ e: Endpoint) -> [UInt8] {
        var b: [UInt8] = []
        if let n = e.serviceName { message(1, Array(n.utf8), &b) }
        if let v4 = e.ipv4 { message(2, [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v4 >> $0) }, &b) }
        if let v6 = e.ipv6 { message(3, v6.bytes, &b) }
        if e.port != 0 { key(4, 0, &b); varint(UInt64(e.port), &b) }
        return b
    }

    static func key(_ field: UInt64, _ wire: UInt64, _ b: inout [UInt8]) { varint(field << 3 | wire, &b) }

    static func message(_ field: UInt64, _ bytes: [UInt8], _ b: inout [UInt8]) {
        key(field, 2, &b)
        varint(UInt64(bytes.count), &b)
        b += bytes
    }

    static func varint(_ v: UInt64, _ b: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            b.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        b.append(UInt8(v))
    }

    static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    static func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}
