/// The hot path of `/api/put`: byte ranges and numbers of every point of a body in the common shape,
/// with no allocation per point, so a server can find each series in its cache by the raw bytes.
///
/// The common shape: an object or an array of objects whose only fields are `metric` (a string),
/// `timestamp` (1–13 digits), `value` (a plain decimal number) and `tags` (an object of strings), no
/// escapes, nothing after the body but white space. Anything else returns false, and
/// so does a point OpenTSDB would reject: the caller then runs `JSONPutParser.parse`, which alone defines
/// behaviour. Whenever this returns true, `JSONPutParser` reads every point with the same metric,
/// timestamp and value; names are not validated here (the caller only trusts byte ranges it has seen pass
/// `JSONPutParser.seriesKey` before). Pure; thread-safe.
public enum JSONPutFastParser {
    /// Appends every point's `RawPut` to `puts` (metric range without quotes, tags range with braces).
    public static func parse(_ body: UnsafeRawBufferPointer, maxTags: Int, into puts: inout [RawPut]) -> Bool {
        var scanner = Scanner(bytes: body)
        scanner.skipSpace()
        guard let first = scanner.peek() else { return false }
        if first == UInt8(ascii: "{") {
            guard let put = scanner.point(maxTags: maxTags) else { return false }
            puts.append(put)
        } else if first == UInt8(ascii: "[") {
            scanner.position += 1
            repeat {
                scanner.skipSpace()
                guard let put = scanner.point(maxTags: maxTags) else { return false }
                puts.append(put)
                scanner.skipSpace()
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "]")) else { return false }
        } else {
            return false
        }
        scanner.skipSpace()
        return scanner.position == body.count
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        @inline(__always)
        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        @inline(__always)
        mutating func consume(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        @inline(__always)
        mutating func skipSpace() {
            while position < bytes.count {
                let b = bytes[position]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                position += 1
            }
        }

        /// A quoted string without escapes; returns the range inside the quotes. Its characters are not
        /// checked here: a series is only taken from the cache when these exact bytes passed the full
        /// validation before, and a miss goes to the full parser.
        mutating func name() -> Range<Int>? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                position += 1
            }
            let end = position
            guard end > start, consume(UInt8(ascii: "\"")) else { return nil }
            return start..<end
        }

        /// `"key"` `:` — the key's first byte and length identify the field.
        mutating func key() -> Range<Int>? {
            skipSpace()
            guard let range = name() else { return nil }
            skipSpace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            return range
        }

        mutating func point(maxTags: Int) -> RawPut? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var metric: Range<Int>?
            var tags: Range<Int>?
            var timestampMs: Int64?
            var value: Double?
            repeat {
                guard let key = key() else { return nil }
                switch (key.count, bytes[key.lowerBound]) {
                case (6, UInt8(ascii: "m")) where metric == nil && matches(key, "metric"):
                    guard let range = name() else { return nil }
                    metric = range
                case (9, UInt8(ascii: "t")) where timestampMs == nil && matches(key, "timestamp"):
                    guard let t = timestamp() else { return nil }
                    timestampMs = t
                case (5, UInt8(ascii: "v")) where value == nil && matches(key, "value"):
                    let start = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "}"),
                        bytes[position] > 0x20
                    {
                        position += 1
                    }
                    guard isJSONNumber(start..<position), let v = DecimalDouble.parsePlain(bytes, from: start, to: position) else {
                        return nil
                    }
                    value = v
                case (4, UInt8(ascii: "t")) where tags == nil && matches(key, "tags"):
                    guard let range = tagObject(maxTags: maxTags) else { return nil }
                    tags = range
                default:
                    return nil
                }
                skipSpace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")), let metric, let tags, let timestampMs, let value else { return nil }
            return RawPut(metric: metric, tags: tags, timestampMs: timestampMs, value: value)
        }

        /// Seconds (up to 4294967295) or milliseconds (10^12 … 9999999999999), as OpenTSDB accepts them.
        mutating func timestamp() -> Int64? {
            let start = position
            var t: Int64 = 0
            while position < bytes.count {
                let d = bytes[position] &- 48
                if d > 9 { break }
                t = t &* 10 &+ Int64(d)
                position += 1
            }
            guard position - start >= 1, position - start <= 13, t > 0 else { return nil }
            if PointChecks.isMilliseconds(t) { return t >= 1_000_000_000_000 ? t : nil }
            return t * 1000
        }

        /// `{"k":"v", …}` with 1…maxTags pairs; returns the range including the braces.
        mutating func tagObject(maxTags: Int) -> Range<Int>? {
            let start = position
            guard consume(UInt8(ascii: "{")) else { return nil }
            var count = 0
            repeat {
                guard key() != nil, name() != nil else { return nil }
                count += 1
                skipSpace()
            } while consume(UInt8(ascii: ","))
            guard count <= maxTags, consume(UInt8(ascii: "}")) else { return nil }
            return start..<position
        }

        /// JSON's grammar on top of `parsePlain`'s: no leading zeros, a digit after the dot.
        func isJSONNumber(_ range: Range<Int>) -> Bool {
            var i = range.lowerBound
            if i < range.upperBound && bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < range.upperBound else { return false }
            if bytes[i] == UInt8(ascii: "0") && i + 1 < range.upperBound && bytes[i + 1] != UInt8(ascii: ".") { return false }
            return bytes[range.upperBound - 1] != UInt8(ascii: ".")
        }

        @inline(__always)
        func matches(_ range: Range<Int>, _ text: StaticString) -> Bool {
            text.withUTF8Buffer { expected in
                expected.count == range.count && expected.indices.allSatisfy { expected[$0] == bytes[range.lowerBound + $0] }
            }
        }
    }
}
