import PharosCore

/// The checks OpenTSDB's `TSDB.addPoint*` and `IncomingDataPoints.checkMetricAndTags` run after parsing,
/// shared by the telnet and JSON parsers so both word errors identically.
///
/// Order (OpenTSDB 2.4): value typing (`Tags.looksLikeInteger` → `parseLong`, else `fitsInFloat` →
/// float or double), the NaN/Infinite check of `addPoint(float|double)`, then `checkTimestampAndTags`
/// (millisecond range, then tag count, metric name, each tag key then value in `HashMap` order).
enum PointChecks {
    /// How OpenTSDB would store the value; decides the bytes shown in `bad timestamp` errors.
    enum TypedValue: Equatable {
        case long(Int64)
        case float(Float)
        case double(Double)

        /// What Pharos stores. Java keeps longs exact; a `Double` rounds integers above 2^53
        /// (e.g. 9007199254740993 is stored as 9007199254740992). Floats that fit in 32 bits are the
        /// same number either way, so only large integers differ from OpenTSDB.
        var pharosValue: Double {
            switch self {
            case .long(let v): Double(v)
            case .float(let f): Double(f)
            case .double(let d): d
            }
        }

        /// `Arrays.toString(value) + '/' + flags` as `TSDB.checkTimestampAndTags` prints it.
        var javaStorageDescription: String {
            let bytes: [Int8]
            let flags: Int
            switch self {
            case .long(let v):
                if v >= -128, v <= 127 {
                    bytes = [Int8(v)]
                } else if v >= Int64(Int16.min), v <= Int64(Int16.max) {
                    bytes = PointChecks.bigEndian(UInt64(UInt16(bitPattern: Int16(v))), count: 2)
                } else if v >= Int64(Int32.min), v <= Int64(Int32.max) {
                    bytes = PointChecks.bigEndian(UInt64(UInt32(bitPattern: Int32(v))), count: 4)
                } else {
                    bytes = PointChecks.bigEndian(UInt64(bitPattern: v), count: 8)
                }
                flags = bytes.count - 1
            case .float(let f):
                bytes = PointChecks.bigEndian(UInt64(f.bitPattern), count: 4)
                flags = 0x8 | 0x3
            case .double(let d):
                bytes = PointChecks.bigEndian(d.bitPattern, count: 8)
                flags = 0x8 | 0x7
            }
            return "[" + bytes.map { String($0) }.joined(separator: ", ") + "]/\(flags)"
        }
    }

    static func bigEndian(_ value: UInt64, count: Int) -> [Int8] {
        (0..<count).map { Int8(bitPattern: UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - $0)))) }
    }

    /// `looksLikeInteger ? parseLong : fitsInFloat ? parseFloat : parseDouble`.
    @inline(__always)
    static func typedValue(_ text: UnsafeRawBufferPointer) -> Result<TypedValue, NumberFormatFailure> {
        if JavaDouble.looksLikeInteger(text) {
            return JavaLong.parse(text).map { .long($0) }
        }
        return JavaDouble.parse(text).map { d in
            let f = Float(d)
            return Double(f) == d ? .float(f) : .double(d)
        }
    }

    /// `addPoint(float|double)`: `value is NaN or Infinite: Infinity for metric=m timestamp=1`.
    static func checkFinite(_ value: TypedValue, metric: String, timestamp: Int64) -> PutError? {
        let d = value.pharosValue
        guard !d.isFinite else { return nil }
        let shown = d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity")
        return .illegal("value is NaN or Infinite: \(shown) for metric=\(metric) timestamp=\(timestamp)")
    }

    /// Seconds when the high 32 bits are clear; milliseconds (10^12 … 9999999999999) otherwise.
    static func checkTimestamp(_ timestamp: Int64, value: TypedValue, metric: String, tags: JavaTagMap) -> PutError? {
        guard isMilliseconds(timestamp), timestamp < 1_000_000_000_000 || timestamp > 9_999_999_999_999 else { return nil }
        let prefix = timestamp < 0 ? "negative " : "bad"
        return .illegal(
            "\(prefix) timestamp=\(timestamp) when trying to add value=\(value.javaStorageDescription)"
                + " to metric=\(metric), tags=\(tags.javaDescription)")
    }

    /// `(timestamp & Const.SECOND_MASK) != 0`.
    @inline(__always)
    static func isMilliseconds(_ timestamp: Int64) -> Bool {
        UInt64(bitPattern: timestamp) & 0xFFFF_FFFF_0000_0000 != 0
    }

    /// Normalises a checked OpenTSDB timestamp to milliseconds.
    @inline(__always)
    static func milliseconds(_ timestamp: Int64) -> Int64 {
        isMilliseconds(timestamp) ? timestamp : timestamp * 1000
    }

    /// `IncomingDataPoints.checkMetricAndTags`: count, then names in Java `HashMap` order.
    static func checkMetricAndTags(
        metric: String, metricHadInvalidUTF8: Bool = false, tags: JavaTagMap, limits: PutLimits
    ) -> PutError? {
        if tags.count <= 0 {
            return .illegal("Need at least one tag (metric=\(metric), tags=\(tags.javaDescription))")
        }
        if tags.count > limits.maxTags {
            return .illegal("Too many tags: \(tags.count) maximum allowed: \(limits.maxTags), tags: \(tags.javaDescription)")
        }
        if let error = NameValidator.check("metric name", metric, hadInvalidUTF8: metricHadInvalidUTF8) { return error }
        for entry in tags.javaOrder {
            if let error = NameValidator.check(
                "tag name with value [\(entry.value ?? "null")]", entry.key, hadInvalidUTF8: entry.keyHadInvalidUTF8)
            {
                return error
            }
            if let error = NameValidator.check(
                "tag value with key [\(entry.key)]", entry.value, hadInvalidUTF8: entry.valueHadInvalidUTF8)
            {
                return error
            }
        }
        return nil
    }

    /// The sorted Pharos key of tags that passed `checkMetricAndTags` (so no value is nil).
    static func seriesKey(metric: String, tags: JavaTagMap) -> SeriesKey {
        SeriesKey(metric: metric, tags: tags.entries.map { Tag(key: $0.key, value: $0.value ?? "") })
    }
}
