/// Renders OpenTSDB's `/api/put` response bodies and its error JSON, byte for byte.
///
/// Key orders follow what Jackson writes for OpenTSDB's `HashMap`s: `success`, `failed`, `errors`
/// for the summary, and `datapoint` before `error` in each error entry. Pure functions; thread-safe.
public enum OpenTSDBResponses {
    /// One `details` error entry: the echoed point and OpenTSDB's message.
    public struct Detail: Sendable, Equatable {
        /// The point as JSON (`JSONPutItem.failed`'s `datapoint`, or `JSONPut.datapointJSON`).
        public var datapoint: String
        /// The message, e.g. `Missing tags`.
        public var error: String

        /// Creates an entry.
        public init(datapoint: String, error: String) {
            self.datapoint = datapoint
            self.error = error
        }
    }

    /// The error message and details OpenTSDB gives when points failed and neither `summary` nor
    /// `details` was asked for.
    public static let pointsHadErrors = "One or more data points had errors"
    /// Companion `details` text of `pointsHadErrors`.
    public static let pointsHadErrorsDetails = "Please see the TSD logs or append \"details\" to the put request"

    /// `{"success":N,"failed":M}` — the `?summary` body.
    public static func summary(success: Int, failed: Int) -> [UInt8] {
        Array("{\"success\":\(success),\"failed\":\(failed)}".utf8)
    }

    /// `{"success":N,"failed":M,"errors":[{"datapoint":{…},"error":"…"}]}` — the `?details` body.
    public static func details(success: Int, failed: Int, errors: [Detail]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(48 + errors.count * 160)
        out.append(contentsOf: "{\"success\":\(success),\"failed\":\(failed),\"errors\":[".utf8)
        for (index, detail) in errors.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"datapoint\":".utf8)
            out.append(contentsOf: detail.datapoint.utf8)
            out.append(contentsOf: ",\"error\":".utf8)
            appendJSONString(detail.error, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// `{"error":{"code":400,"message":"…","details":"…"}}` — OpenTSDB's `formatErrorV1`.
    ///
    /// `details` is omitted when empty, as OpenTSDB does. OpenTSDB also adds a Java stack `trace`
    /// by default; Pharos has none to give.
    public static func error(code: Int, message: String, details: String = "") -> [UInt8] {
        var out: [UInt8] = Array("{\"error\":{\"code\":\(code),\"message\":".utf8)
        appendJSONString(message, to: &out)
        if !details.isEmpty {
            out.append(contentsOf: ",\"details\":".utf8)
            appendJSONString(details, to: &out)
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// Appends `text` as a quoted JSON string, escaping as Jackson does: `"` `\` and control
    /// characters (`\n` `\t` `\r` `\b` `\f`, else `\u00XX`); `/` and non-ASCII are written as they are.
    public static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789ABCDEF".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string (see `appendJSONString`).
    public static func jsonString(_ text: String) -> String {
        var out: [UInt8] = []
        appendJSONString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Jackson's rendering of OpenTSDB's `IncomingDataPoint`: fields in declaration order
    /// (`metric`, `timestamp`, `value`, `tags`, `tsuid`), nulls omitted, `value` always a string,
    /// tags in Java `HashMap` order.
    static func datapointJSON(metric: String?, timestamp: Int64, value: String?, tags: JavaTagMap?, tsuid: String?) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        if let metric {
            out.append(contentsOf: "\"metric\":".utf8)
            appendJSONString(metric, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"timestamp\":\(timestamp)".utf8)
        if let value {
            out.append(contentsOf: ",\"value\":".utf8)
            appendJSONString(value, to: &out)
        }
        if let tags {
            out.append(contentsOf: ",\"tags\":{".utf8)
            for (index, entry) in tags.javaOrder.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if let v = entry.value { appendJSONString(v, to: &out) } else { out.append(contentsOf: "null".utf8) }
            }
            out.append(UInt8(ascii: "}"))
        }
        if let tsuid {
            out.append(contentsOf: ",\"tsuid\":".utf8)
            appendJSONString(tsuid, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
