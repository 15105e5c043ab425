public import PharosCore

/// Parses OpenTSDB `/api/put` JSON bodies by hand, byte by byte, as OpenTSDB 2.4 + Jackson read them.
///
/// Body level (`HttpJsonSerializer.parsePutV1`): the trimmed body must start with `{` (one point) or
/// `[` (points); any syntax or type error rejects the whole body; content after the first value is
/// ignored (Jackson's default). Point level (`IncomingDataPoint.validate`, then `TSDB.addPoint*`):
/// empty metric, timestamp `<= 0`, empty value, missing tags, value number, NaN/Infinite, millisecond
/// range — in that order; then `seriesKey(_:limits:)` checks tag count and names. Unknown fields
/// are ignored (`@JsonIgnoreProperties(ignoreUnknown = true)`). Pure functions; thread-safe.
public enum JSONPutParser {
    /// Throws PutBodyError for body-level failures (400 `The JSON must start as an object or an array`,
    /// `Unable to parse the given JSON`, `No datapoints found in content`) — then nothing is written.
    public static func parse(_ body: UnsafeRawBufferPointer, limits: PutLimits) throws(PutBodyError) -> [JSONPutItem] {
        var start = 0
        var end = body.count
        while start < end, body[start] <= 0x20 { start += 1 }
        while end > start, body[end - 1] <= 0x20 { end -= 1 }
        guard start < end else { throw PutBodyError(message: PutBodyError.missingContent) }
        let first = body[start]
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw PutBodyError(message: PutBodyError.notObjectOrArray)
        }
        var reader = JSONReader(body, from: start, to: end)
        var items: [JSONPutItem] = []
        do throws(JSONReader.Failure) {
            if first == UInt8(ascii: "{") {
                items.append(try parsePoint(&reader, limits: limits))
            } else {
                reader.position += 1
                reader.skipWhitespace()
                if reader.peek() == UInt8(ascii: "]") {
                    reader.position += 1
                } else {
                    items.reserveCapacity(64)
                    repeat {
                        reader.skipWhitespace()
                        guard reader.peek() == UInt8(ascii: "{") else { throw reader.failure("expected a data point object") }
                        items.append(try parsePoint(&reader, limits: limits))
                    } while try reader.nextMember(close: UInt8(ascii: "]"))
                }
            }
        } catch {
            throw PutBodyError(message: PutBodyError.unparsable, detail: error.detail)
        }
        guard !items.isEmpty else { throw PutBodyError(message: PutBodyError.noDatapoints) }
        return items
    }

    /// Strict validation of one parsed point (charset, tag count, ...) → the series key, or the
    /// per-point error with OpenTSDB's message.
    public static func seriesKey(_ put: JSONPut, limits: PutLimits) -> Result<SeriesKey, PutError> {
        var map = JavaTagMap()
        for tag in put.tags { map.put(JavaTagMap.Entry(key: tag.key, value: tag.value)) }
        if let error = PointChecks.checkMetricAndTags(metric: put.metric, tags: map, limits: limits) {
            return .failure(error)
        }
        return .success(SeriesKey(metric: put.metric, tags: put.tags))
    }

    /// The fields of one `IncomingDataPoint` as Jackson would have filled them.
    struct Fields {
        var metric: String?
        var rawMetric: Range<Int> = 0..<0
        var timestamp: Int64 = 0
        var valueText: String?
        var valueRange: Range<Int>?
        var tags: JavaTagMap?
        var rawTags: Range<Int> = 0..<0
        var tsuid: String?
    }

    private enum Field {
        case metric, timestamp, value, tags, tsuid, unknown
    }

    private static func parsePoint(_ reader: inout JSONReader, limits: PutLimits) throws(JSONReader.Failure) -> JSONPutItem {
        reader.position += 1
        reader.skipWhitespace()
        var fields = Fields()
        if reader.peek() == UInt8(ascii: "}") {
            reader.position += 1
            return finish(fields, reader: reader, limits: limits)
        }
        repeat {
            let (keyRange, escaped) = try reader.readKey()
            switch field(keyRange, escaped: escaped, reader: reader) {
            case .metric:
                let (text, range) = try readText(&reader)
                fields.metric = text
                fields.rawMetric = range
            case .value:
                let (text, range) = try readText(&reader)
                fields.valueText = text
                fields.valueRange = range.isEmpty && text?.isEmpty == false ? nil : range
            case .tsuid:
                fields.tsuid = try readText(&reader).text
            case .timestamp:
                fields.timestamp = try readTimestamp(&reader)
            case .tags:
                let start = reader.position
                fields.tags = try readTags(&reader)
                fields.rawTags = start..<reader.position
            case .unknown:
                try reader.skipValue(depth: 2)
            }
        } while try reader.nextMember(close: UInt8(ascii: "}"))
        return finish(fields, reader: reader, limits: limits)
    }

    @inline(__always)
    private static func field(_ key: Range<Int>, escaped: Bool, reader: JSONReader) -> Field {
        if escaped {
            switch reader.decodeString(key, escaped: true) {
            case "metric": return .metric
            case "timestamp": return .timestamp
            case "value": return .value
            case "tags": return .tags
            case "tsuid": return .tsuid
            default: return .unknown
            }
        }
        // Compare as little-endian words: "metric", "timestamp", "value", "tags", "tsuid".
        guard let base = reader.bytes.baseAddress else { return .unknown }
        let p = base + key.lowerBound
        switch key.count {
        case 6 where UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) == 0x7274_656D && UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) == 0x6369:
            return .metric
        case 9 where UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) == 0x6D61_7473_656D_6974 && p.load(fromByteOffset: 8, as: UInt8.self) == 0x70:
            return .timestamp
        case 5 where UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) == 0x756C_6176 && p.load(fromByteOffset: 4, as: UInt8.self) == 0x65:
            return .value
        case 4 where UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) == 0x7367_6174:
            return .tags
        case 5 where UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) == 0x6975_7374 && p.load(fromByteOffset: 4, as: UInt8.self) == 0x64:
            return .tsuid
        default:
            return .unknown
        }
    }

    /// A `String` field: strings, numbers (their literal) and booleans coerce; `null` is nil.
    /// The range is the raw bytes when they equal the text (no escapes), else empty.
    private static func readText(_ reader: inout JSONReader) throws(JSONReader.Failure) -> (text: String?, range: Range<Int>) {
        switch try reader.readScalar() {
        case .string(let range, let escaped):
            return (reader.decodeString(range, escaped: escaped), escaped ? range.lowerBound..<range.lowerBound : range)
        case .number(let range, _):
            return (String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[range]), as: UTF8.self), range)
        case .bool(let b):
            return (b ? "true" : "false", reader.position..<reader.position)
        case .null:
            return (nil, reader.position..<reader.position)
        }
    }

    /// The primitive `long timestamp`: Jackson coerces floats (truncating), numeric strings, `null` → 0.
    private static func readTimestamp(_ reader: inout JSONReader) throws(JSONReader.Failure) -> Int64 {
        let start = reader.position
        switch try reader.readScalar() {
        case .number(let range, let integer):
            let raw = UnsafeRawBufferPointer(rebasing: reader.bytes[range])
            if integer, case .success(let v) = JavaLong.parse(raw) { return v }
            if raw.first == UInt8(ascii: "N") { return 0 }
            guard !integer, case .success(let d) = JavaDouble.parse(raw), d.isFinite, d <= 9.223372036854775807e18,
                d >= -9.223372036854775808e18
            else {
                reader.position = start
                throw reader.failure("timestamp out of range of long")
            }
            return d >= 9.223372036854775807e18 ? .max : Int64(d)
        case .string(let range, let escaped):
            let text = reader.decodeString(range, escaped: escaped)
            let trimmed = text.utf8.drop { $0 <= 0x20 }.reversed().drop { $0 <= 0x20 }.reversed()
            let s = String(decoding: Array(trimmed), as: UTF8.self)
            if s.isEmpty || s == "null" { return 0 }
            guard let v = Int64(s) else {
                reader.position = start
                throw reader.failure("timestamp is not a long")
            }
            return v
        case .null:
            return 0
        case .bool:
            reader.position = start
            throw reader.failure("timestamp is not a long")
        }
    }

    /// The `tags` map: an object of String-coerced values, or `null`.
    private static func readTags(_ reader: inout JSONReader) throws(JSONReader.Failure) -> JavaTagMap? {
        guard reader.peek() == UInt8(ascii: "{") else {
            if case .null = try reader.readScalar() { return nil }
            throw reader.failure("tags must be an object")
        }
        reader.position += 1
        reader.skipWhitespace()
        var map = JavaTagMap()
        if reader.peek() == UInt8(ascii: "}") {
            reader.position += 1
            return map
        }
        repeat {
            let (keyRange, escaped) = try reader.readKey()
            let key = reader.decodeString(keyRange, escaped: escaped)
            guard reader.peek() != UInt8(ascii: "{"), reader.peek() != UInt8(ascii: "[") else {
                throw reader.failure("a tag value must be a string")
            }
            map.put(JavaTagMap.Entry(key: key, value: try readText(&reader).text))
        } while try reader.nextMember(close: UInt8(ascii: "}"))
        return map
    }
}
