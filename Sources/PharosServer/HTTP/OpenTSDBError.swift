import PharosIngest
import PharosCore

/// OpenTSDB's error body, `{"error":{"code":400,"message":"…","details":"…"}}`, used by every JSON API.
enum OpenTSDBError {
    static func json(code: Int, message: String, details: String = "") -> String {
        String(decoding: OpenTSDBResponses.error(code: code, message: message, details: details), as: UTF8.self)
    }
}

/// JSON numbers as OpenTSDB writes them in query results.
enum JSONNumber {
    /// Integral values without a fraction, NaN as OpenTSDB writes it.
    static func render(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        if value == value.rounded(.towardZero) && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
