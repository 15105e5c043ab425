/// Lower-case, zero-padded hex for span and trace ids, as Zipkin renders them (16 or 32 characters).
///
/// Ids are opaque 64-bit words on the wire; Zipkin writes them as fixed-width lower hex to avoid signed
/// interpretation. Appending to a byte buffer keeps the encoder allocation-free. Pure.
public enum LowerHex {
    @usableFromInline static let digits: StaticString = "0123456789abcdef"

    /// Appends the 16 hex characters of `value` to `out`.
    @inlinable
    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        digits.withUTF8Buffer { d in
            var shift: UInt64 = 60
            for _ in 0..<16 {
                out.append(d[Int(truncatingIfNeeded: (value >> shift) & 0xF)])
                shift &-= 4
            }
        }
    }

    /// The 16 hex characters of `value` (`000000000000002a` for 42).
    public static func string(_ value: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a trace id: 32 characters when `is128Bit`, else the 16 of `low`.
    @inlinable
    public static func appendTraceId(high: UInt64, low: UInt64, is128Bit: Bool, to out: inout [UInt8]) {
        if is128Bit { append(high, to: &out) }
        append(low, to: &out)
    }
}
