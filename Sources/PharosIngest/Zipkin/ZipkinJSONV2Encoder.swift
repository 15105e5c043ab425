public import PharosCore

/// Writes spans as zipkin-server's API returns them (`V2SpanWriter`), appending to a caller's buffer.
///
/// Member order: traceId, parentId, id, kind, name, timestamp, duration, localEndpoint {serviceName,
/// ipv4, ipv6, port}, remoteEndpoint, annotations [{timestamp, value}], tags, debug, shared; absent and
/// zero values are omitted, `debug`/`shared` only when true. Strings are escaped as `JsonEscaper` does:
/// `\"`, `\\`, `\t`, `\b`, `\n`, `\r`, `\f`, other controls as `\u00xx`, and U+2028/U+2029 as `\u2028`/
/// `\u2029`; everything else is raw UTF-8. Expects a normalised span (what the decoders produce). Pure.
public enum ZipkinJSONV2Encoder {
    /// Appends `[span,span,…]`.
    public static func encode(_ spans: [Span], into out: inout [UInt8]) {
        out.append(0x5B)
        for (i, span) in spans.enumerated() {
            if i > 0 { out.append(0x2C) }
            encode(span, into: &out)
        }
        out.append(0x5D)
    }

    /// Appends one span object.
    public static func encode(_ s: Span, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"traceId":""#.utf8)
        LowerHex.appendTraceId(high: s.traceIdHigh, low: s.traceIdLow, is128Bit: s.traceIdIs128Bit, to: &out)
        if s.parentId != 0 {
            out.append(contentsOf: #"","parentId":""#.utf8)
            LowerHex.append(s.parentId, to: &out)
        }
        out.append(contentsOf: #"","id":""#.utf8)
        LowerHex.append(s.id, to: &out)
        out.append(0x22)
        if let kind = s.kind {
            out.append(contentsOf: #","kind":""#.utf8)
            out.append(contentsOf: kind.zipkinName.utf8)
            out.append(0x22)
        }
        if let name = s.name {
            out.append(contentsOf: #","name":"#.utf8)
            appendString(name, to: &out)
        }
        if s.timestampUs != 0 {
            out.append(contentsOf: #","timestamp":"#.utf8)
            appendDecimal(s.timestampUs, to: &out)
        }
        if s.durationUs != 0 {
            out.append(contentsOf: #","duration":"#.utf8)
            appendDecimal(s.durationUs, to: &out)
        }
        if let e = s.localEndpoint {
            out.append(contentsOf: #","localEndpoint":"#.utf8)
            appendEndpoint(e, to: &out)
        }
        if let e = s.remoteEndpoint {
            out.append(contentsOf: #","remoteEndpoint":"#.utf8)
            appendEndpoint(e, to: &out)
        }
        if !s.annotations.isEmpty {
            out.append(contentsOf: #","annotations":["#.utf8)
            for (i, a) in s.annotations.enumerated() {
                out.append(contentsOf: (i == 0 ? #"{"timestamp":"# : #",{"timestamp":"#).utf8)
                appendDecimal(a.timestampUs, to: &out)
                out.append(contentsOf: #","value":"#.utf8)
                appendString(a.value, to: &out)
                out.append(0x7D)
            }
            out.append(0x5D)
        }
        if !s.tags.isEmpty {
            out.append(contentsOf: #","tags":{"#.utf8)
            for (i, t) in s.tags.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendString(t.key, to: &out)
                out.append(0x3A)
                appendString(t.value, to: &out)
            }
            out.append(0x7D)
        }
        if s.debug { out.append(contentsOf: #","debug":true"#.utf8) }
        if s.shared { out.append(contentsOf: #","shared":true"#.utf8) }
        out.append(0x7D)
    }

    static func appendEndpoint(_ e: Endpoint, to out: inout [UInt8]) {
        out.append(0x7B)
        var wrote = false
        if let name = e.serviceName {
            out.append(contentsOf: #""serviceName":"#.utf8)
            appendString(name, to: &out)
            wrote = true
        }
        if let v4 = e.ipv4 {
            out.append(contentsOf: (wrote ? #","ipv4":""# : #""ipv4":""#).utf8)
            ZipkinIPText.appendIPv4(v4, to: &out)
            out.append(0x22)
            wrote = true
        }
        if let v6 = e.ipv6 {
            out.append(contentsOf: (wrote ? #","ipv6":""# : #""ipv6":""#).utf8)
            ZipkinIPText.appendIPv6(v6, to: &out)
            out.append(0x22)
            wrote = true
        }
        if e.port != 0 {
            out.append(contentsOf: (wrote ? #","port":"# : #""port":"#).utf8)
            appendDecimal(Int64(e.port), to: &out)
        }
        out.append(0x7D)
    }

    /// Appends a quoted, escaped JSON string.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        let hex: StaticString = "0123456789abcdef"
        var lastWasE2 = 0  // bytes seen of E2 80 A8/A9 (U+2028/U+2029)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xF)]])
            case 0xA8 where lastWasE2 == 2, 0xA9 where lastWasE2 == 2:
                out.removeLast(2)
                out.append(contentsOf: "\\u202".utf8)
                out.append(b == 0xA8 ? 0x38 : 0x39)
            default: out.append(b)
            }
            lastWasE2 = b == 0xE2 ? 1 : (b == 0x80 && lastWasE2 == 1 ? 2 : 0)
        }
        out.append(0x22)
    }

    /// Appends a signed decimal integer.
    @inline(__always)
    static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(0x2D) }
        var m = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, no heap
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - n] = UInt8(truncatingIfNeeded: 0x30 &+ m % 10)
                m /= 10
                n += 1
            } while m != 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - n)...]))
        }
    }
}
