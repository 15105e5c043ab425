import Foundation
import NIOCore
import PharosIngest

/// OpenTSDB's `AnnotationBulkDelete`: which annotations `DELETE /api/annotation/bulk` removes (those of
/// `tsuids`, and the global ones when `global`, starting within `startTime...endTime`), echoed back with
/// `totalDeleted`. Times may be any OpenTSDB time form; the echo carries them in milliseconds.
struct AnnotationBulkDelete: Equatable {
    var tsuids: [String]?
    var global = false
    var startMs: Int64 = 0
    var endMs: Int64 = 0
    var totalDeleted = 0

    /// From a JSON body (`tsuids`, `global`, `startTime`, `endTime`) or, without one, the query string
    /// (`tsuids` comma-separated, `global` as a flag, `start_time`, `end_time`).
    static func parse(_ request: HTTPRequest, nowMs: Int64) throws(MetaAPIError) -> AnnotationBulkDelete {
        var out = AnnotationBulkDelete()
        let start: String?
        let end: String?
        if request.body.readableBytes > 0 {
            guard let object = try MetaJSON.parse(request.body) as? [String: Any] else {
                throw MetaAPIError("Unable to parse the given JSON", details: "the body must be a JSON object")
            }
            start = try MetaJSON.string(object["startTime"], field: "startTime")
            end = try MetaJSON.string(object["endTime"], field: "endTime")
            out.global = try MetaJSON.bool(object["global"], field: "global") ?? false
            switch object["tsuids"] {
            case nil, is NSNull: break
            case let list as [Any]:
                out.tsuids = try list.map { (item) throws(MetaAPIError) in
                    guard let text = try MetaJSON.string(item, field: "tsuids") else {
                        throw MetaAPIError("Unable to parse the given JSON", details: "'tsuids' must hold strings")
                    }
                    return text
                }
            default: throw MetaAPIError("Unable to parse the given JSON", details: "'tsuids' must be a list")
            }
        } else {
            let query = request.query
            guard let given = query["start_time"] else { throw MetaAPIError.missingParameter("start_time") }
            start = given
            end = query["end_time"]
            out.tsuids = query["tsuids"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            out.global = query["global"] != nil
        }
        guard let start, !start.isEmpty else { throw MetaAPIError("Missing the start time value") }
        if !out.global && (out.tsuids ?? []).isEmpty { throw MetaAPIError("Missing the TSUIDs or global annotations flag") }
        out.startMs = try OpenTSDBTime.parseMs(start, nowMs: nowMs) ?? 0
        out.endMs = try OpenTSDBTime.parseMs(end, nowMs: nowMs) ?? nowMs
        return out
    }

    /// `{"tsuids":[…]|null,"global":…,"startTime":ms,"endTime":ms,"totalDeleted":n}`.
    var json: String {
        let list = tsuids.map { "[" + $0.map(OpenTSDBResponses.jsonString).joined(separator: ",") + "]" } ?? "null"
        return "{\"tsuids\":\(list),\"global\":\(global),\"startTime\":\(startMs),\"endTime\":\(endMs),\"totalDeleted\":\(totalDeleted)}"
    }
}
