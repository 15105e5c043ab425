public import PharosCore

/// Zipkin's reading and writing of endpoint addresses (`zipkin2.Endpoint.Builder.parseIp`, `writeIpV6`).
///
/// Reading (`detectFamily`, `textToNumericFormatV6` from Guava, `isValidIpV4Address` from Netty):
/// dotted IPv4 with 1–3 digit octets ≤ 255 (leading zeros allowed); IPv6 text with at most one `::`
/// and hextets of any number of hex digits worth ≤ 0xffff; `::1.2.3.4` and `::ffff:1.2.3.4` (also
/// `::0000:` / `::FFFF:`) become IPv4. Anything else is not an address, and Zipkin silently drops it.
/// Raw bytes (proto3): 4 bytes are IPv4; 16 bytes are IPv6 unless the first 12 are zero and it is not
/// `::1` (an IPv4-compatible address) — Zipkin's byte path does not unmap `::ffff:a.b.c.d`. Writing IPv6:
/// the longest run of zero hextets (even a single one; on a tie the first) becomes `::`, a trailing run
/// only when no earlier run exists, hex without leading zeros. Pure.
public enum ZipkinIPText {
    /// An address read for an endpoint.
    public enum Address: Equatable, Sendable {
        case v4(UInt32)
        case v6(IPv6Address)
    }

    /// Parses address text as Zipkin does; nil when Zipkin would drop it.
    public static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Address? {
        if let v4 = ipv4(text) { return .v4(v4) }  // the common case, and exactly what the rules below decide for it
        var hasColon = false
        var hasDot = false
        var lastColon = -1
        for (i, c) in text.enumerated() {
            if c == 0x2E {
                hasDot = true
            } else if c == 0x3A {
                if hasDot { return nil }
                hasColon = true
                lastColon = i
            } else if !(c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 6) {
                return nil
            }
        }
        if hasColon && hasDot {
            guard let v4 = ipv4(UnsafeBufferPointer(rebasing: text[(lastColon + 1)...])) else { return nil }
            if lastColon == 1 && text[0] == 0x3A { return .v4(v4) }
            guard lastColon == 6, text[0] == 0x3A, text[1] == 0x3A else { return nil }
            for i in 2..<6 where !(text[i] == 0x30 || text[i] | 0x20 == 0x66) { return nil }
            return .v4(v4)
        }
        if hasColon { return ipv6(text).map(Address.v6) }
        if hasDot { return ipv4(text).map(Address.v4) }
        return nil
    }

    /// Parses a string (convenience for tests and callers holding a `String`).
    public static func parse(_ text: String) -> Address? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// Zipkin's byte rule for proto3 `ipv4`/`ipv6` fields; nil for any other length.
    public static func address(bytes: UnsafeBufferPointer<UInt8>) -> Address? {
        if bytes.count == 4 {
            return .v4(UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
        }
        guard bytes.count == 16 else { return nil }
        let a = IPv6Address(bytes: bytes)
        if a.high == 0 && a.low >> 32 == 0 && a.low != 1 { return .v4(UInt32(truncatingIfNeeded: a.low)) }
        return .v6(a)
    }

    static func ipv4(_ t: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard t.count >= 7 && t.count <= 15 else { return nil }
        var result: UInt32 = 0
        var octets = 0
        var value: UInt32 = 0
        var digits = 0
        for i in 0...t.count {
            if i == t.count || t[i] == 0x2E {
                guard digits >= 1 && digits <= 3 && value <= 255 else { return nil }
                result = result << 8 | value
                octets += 1
                value = 0
                digits = 0
                continue
            }
            let d = t[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + UInt32(d)
            digits += 1
            if digits > 3 { return nil }
        }
        return octets == 4 ? result : nil
    }

    static func ipv6(_ t: UnsafeBufferPointer<UInt8>) -> IPv6Address? {
        var parts: [Range<Int>] = []
        var start = 0
        for i in 0..<t.count where t[i] == 0x3A {
            parts.append(start..<i)
            start = i + 1
            if parts.count == 9 { return nil }  // Java's split(":", 10) would leave 10 parts
        }
        parts.append(start..<t.count)
        guard parts.count >= 3 else { return nil }
        var skipIndex = -1
        for i in 1..<(parts.count - 1) where parts[i].isEmpty {
            if skipIndex >= 0 { return nil }
            skipIndex = i
        }
        var partsHi = parts.count
        var partsLo = 0
        if skipIndex >= 0 {
            partsHi = skipIndex
            partsLo = parts.count - skipIndex - 1
            if parts[0].isEmpty { partsHi -= 1; if partsHi != 0 { return nil } }
            if parts[parts.count - 1].isEmpty { partsLo -= 1; if partsLo != 0 { return nil } }
        }
        let skipped = 8 - (partsHi + partsLo)
        guard skipIndex >= 0 ? skipped >= 1 : skipped == 0 else { return nil }
        var hextets: [UInt16] = []
        for p in parts[0..<partsHi] {
            guard let h = hextet(t, p) else { return nil }
            hextets.append(h)
        }
        hextets.append(contentsOf: repeatElement(0, count: skipped))
        for p in parts[(parts.count - partsLo)...] {
            guard let h = hextet(t, p) else { return nil }
            hextets.append(h)
        }
        var a = IPv6Address(high: 0, low: 0)
        for (i, h) in hextets.enumerated() {
            if i < 4 { a.high = a.high << 16 | UInt64(h) } else { a.low = a.low << 16 | UInt64(h) }
        }
        return a
    }

    private static func hextet(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UInt16? {
        guard !r.isEmpty else { return nil }
        var v: UInt32 = 0
        for i in r {
            let c = t[i]
            let d = c &- 0x30 < 10 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10
            v = v << 4 | UInt32(d)
            if v > 0xFFFF { return nil }
        }
        return UInt16(v)
    }
}
