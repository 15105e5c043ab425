#if canImport(Glibc)
import Glibc
#endif

/// Parses OpenTSDB telnet `put` lines: a fast path for the common shape and a strict path that
/// reproduces OpenTSDB 2.4's behaviour and error texts exactly.
///
/// Usage: call `parseFast` on every line; on nil, or when the series is not yet cached, call
/// `parseStrict`, which alone defines behaviour. Whenever `parseFast` returns a value, `parseStrict`
/// on the same line succeeds with the same metric bytes, tags, timestamp and value bits.
/// Both are pure functions of their input and safe to call from any thread.
public enum TelnetPutParser {
    /// The hot path: splits `put <metric> <ts> <value> <tags…>` and parses the timestamp and value,
    /// without allocating and without checking the metric and tag words.
    ///
    /// `line` = the whole line, without the `\n` / `\r\n`. Returns nil for any line whose timestamp or value
    /// is not in the plain form (digits; `-?digits(.digits)?`) or that has no tag section — never an error.
    /// The metric and tag bytes are returned as ranges unchecked: a caller may only trust them when these
    /// exact bytes passed `parseStrict` before (the server's per-connection series cache), and must call
    /// `parseStrict` otherwise. Whenever this returns a value and `parseStrict` accepts the line, both give
    /// the same timestamp and value; when `parseStrict` refuses it, the reason is the metric or the tags.
    public static func parseFast(_ line: UnsafeRawBufferPointer) -> RawPut? {
        let n = line.count
        guard n >= 13, let base = line.baseAddress else { return nil }
        guard UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)) == 0x2074_7570 else { return nil }  // "put "
        guard let metricSpace = memchr(base + 4, 0x20, n - 4) else { return nil }
        let metricEnd = base.distance(to: UnsafeRawPointer(metricSpace))
        guard metricEnd > 4 else { return nil }
        var i = metricEnd + 1

        var timestamp: Int64 = 0
        let tsStart = i
        while i < n {
            let d = base.load(fromByteOffset: i, as: UInt8.self) &- 48
            if d > 9 { break }
            timestamp = timestamp &* 10 &+ Int64(d)
            i += 1
        }
        guard i - tsStart >= 1, i - tsStart <= 13, i < n, base.load(fromByteOffset: i, as: UInt8.self) == 0x20, timestamp > 0 else { return nil }
        let timestampMs: Int64
        if PointChecks.isMilliseconds(timestamp) {
            guard timestamp >= 1_000_000_000_000 else { return nil }
            timestampMs = timestamp
        } else {
            timestampMs = timestamp * 1000
        }
        i += 1

        let valueStart = i
        guard i < n, let valueSpace = memchr(base + i, 0x20, n - i) else { return nil }
        let valueEnd = base.distance(to: UnsafeRawPointer(valueSpace))
        guard valueEnd > valueStart, let value = parseValue(base, from: valueStart, to: valueEnd) else { return nil }
        let tagsStart = valueEnd + 1
        guard tagsStart < n, base.load(fromByteOffset: tagsStart, as: UInt8.self) != 0x20 else { return nil }
        return RawPut(metric: 4..<metricEnd, tags: tagsStart..<n, timestampMs: timestampMs, value: value)
    }

    /// An integer (OpenTSDB's parseLong, up to 18 digits) or a plain decimal, correctly rounded.
    @inline(__always)
    private static func parseValue(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Double? {
        var j = start
        let negative = base.load(fromByteOffset: j, as: UInt8.self) == UInt8(ascii: "-")
        if negative { j += 1 }
        guard end - j >= 1, end - j <= 18 else {
            return DecimalDouble.parsePlain(UnsafeRawBufferPointer(start: base, count: end), from: start, to: end)
        }
        var v: Int64 = 0
        while j < end {
            let d = base.load(fromByteOffset: j, as: UInt8.self) &- 48
            guard d <= 9 else {
                // Not an integer: a plain decimal or nothing the fast path takes.
                return DecimalDouble.parsePlain(UnsafeRawBufferPointer(start: base, count: end), from: start, to: end)
            }
            v = v &* 10 &+ Int64(d)
            j += 1
        }
        return Double(negative ? -v : v)
    }
}
