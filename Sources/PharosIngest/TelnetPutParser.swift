/// Parses OpenTSDB telnet `put` lines: a fast path for the common shape and a strict path that
/// reproduces OpenTSDB 2.4's behaviour and error texts exactly.
///
/// Usage: call `parseFast` on every line; on nil, or when the series is not yet cached, call
/// `parseStrict`, which alone defines behaviour. Whenever `parseFast` returns a value, `parseStrict`
/// on the same line succeeds with the same metric bytes, tags, timestamp and value bits.
/// Both are pure functions of their input and safe to call from any thread.
public enum TelnetPutParser {
    /// Fast path with OpenTSDB's default tag limit (8).
    ///
    /// `line` = the whole line (`put metric ts value k=v ...`), without the `\n` / `\r\n`.
    public static func parseFast(_ line: UnsafeRawBufferPointer) -> RawPut? {
        parseFast(line, maxTags: 8)
    }

    /// Fast path: ASCII names, digit timestamps (no dots), plain decimal values, single spaces,
    /// at most `maxTags` distinct keys. Returns nil for anything else — never an error.
    public static func parseFast(_ line: UnsafeRawBufferPointer, maxTags: Int) -> RawPut? {
        let n = line.count
        guard n >= 13, let base = line.baseAddress else { return nil }
        guard UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)) == 0x2074_7570 else { return nil }  // "put "
        var i = 4
        let metricStart = i
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x20 { break }
            guard NameValidator.isNameByte(b) else { return nil }
            i += 1
        }
        let metricEnd = i
        guard metricEnd > metricStart, i < n else { return nil }
        i += 1

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
        var sawDot = false
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x20 { break }
            if b == UInt8(ascii: ".") { sawDot = true }
            i += 1
        }
        let valueEnd = i
        guard valueEnd > valueStart, i < n else { return nil }
        let value: Double
        if sawDot {
            guard let d = DecimalDouble.parsePlain(line, from: valueStart, to: valueEnd) else { return nil }
            value = d
        } else {
            var j = valueStart
            let negative = base.load(fromByteOffset: j, as: UInt8.self) == UInt8(ascii: "-")
            if negative { j += 1 }
            guard valueEnd - j >= 1, valueEnd - j <= 18 else { return nil }
            var v: Int64 = 0
            while j < valueEnd {
                let d = base.load(fromByteOffset: j, as: UInt8.self) &- 48
                guard d <= 9 else { return nil }
                v = v &* 10 &+ Int64(d)
                j += 1
            }
            value = Double(negative ? -v : v)
        }
        i += 1

        let tagsStart = i
        guard i < n, maxTags > 0 else { return nil }
        // Repeated keys are rejected (strict parsing decides between "ignored" and "duplicate tag").
        // A 64-bit filter over (length, first byte, last byte) makes the common case compare nothing.
        var seen: UInt64 = 0
        let capacity = maxTags
        var count = 0
        while true {
            let keyStart = i
            while i < n {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                if b == UInt8(ascii: "=") { break }
                guard NameValidator.isNameByte(b) else { return nil }
                i += 1
            }
            let keyLength = i - keyStart
            guard keyLength > 0, i < n else { return nil }
            i += 1
            let tagValueStart = i
            while i < n {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                if b == 0x20 { break }
                guard NameValidator.isNameByte(b) else { return nil }
                i += 1
            }
            guard i > tagValueStart, count < capacity else { return nil }
            let first = Int(base.load(fromByteOffset: keyStart, as: UInt8.self))
            let last = Int(base.load(fromByteOffset: tagValueStart - 2, as: UInt8.self))
            let bit = UInt64(1) << UInt64((keyLength &* 7 &+ first &* 3 &+ last) & 63)
            if seen & bit != 0, hasEarlierKey(base, from: tagsStart, before: keyStart, keyLength: keyLength) { return nil }
            seen |= bit
            count += 1
            if i == n { break }
            i += 1  // the single space
            guard i < n else { return nil }
        }
        return RawPut(metric: metricStart..<metricEnd, tags: tagsStart..<n, timestampMs: timestampMs, value: value)
    }

    /// True if a tag word between `start` and `keyStart` has the same key as the one at `keyStart`.
    private static func hasEarlierKey(_ base: UnsafeRawPointer, from start: Int, before keyStart: Int, keyLength: Int) -> Bool {
        var wordStart = start
        while wordStart < keyStart {
            var j = wordStart
            while base.load(fromByteOffset: j, as: UInt8.self) != UInt8(ascii: "=") { j += 1 }
            if j - wordStart == keyLength, equalBytes(base + wordStart, base + keyStart, keyLength) { return true }
            while base.load(fromByteOffset: j, as: UInt8.self) != 0x20 { j += 1 }
            wordStart = j + 1
        }
        return false
    }

    @inline(__always)
    static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var k = 0
        while k + 8 <= count {
            if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < count {
            if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }
}
