import Foundation
import PharosCore

/// An annotation as a request gives it, remembering which fields were set: OpenTSDB's `Annotation` marks a
/// field changed only when it differs from its default, a POST merges only changed fields into the stored
/// note, a PUT replaces them all, and a request that changes nothing is answered 304.
struct AnnotationInput: Equatable {
    /// Upper-cased hex, or nil for a global annotation.
    var tsuid: String?
    /// As given, seconds or milliseconds; 0 when missing.
    var startTime: Int64 = 0
    var endTime: Int64 = 0
    var description = ""
    var notes = ""
    /// nil when not given (OpenTSDB's null `custom`).
    var custom: [String: String]?

    var hasChanges: Bool { endTime != 0 || !description.isEmpty || !notes.isEmpty || custom != nil }

    /// The note to store over `stored`: a PUT (`overwrite`) takes every field from the request, a POST only
    /// the changed ones.
    func merged(into stored: Annotation?, overwrite: Bool) -> Annotation {
        var note = stored ?? Annotation(startTime: startTime, tsuid: tsuid)
        if overwrite || endTime != 0 { note.endTime = endTime == 0 ? nil : endTime }
        if overwrite || !description.isEmpty { note.description = description }
        if overwrite || !notes.isEmpty { note.notes = notes }
        if overwrite || custom != nil { note.custom = custom ?? [:] }
        return note
    }

    /// `TSUID: … Start: …  Description: …`, OpenTSDB's `Annotation.toString` for bulk error details.
    var openTSDBDescription: String { "TSUID: \(tsuid ?? "") Start: \(startTime)  Description: \(description)" }

    /// One JSON annotation object (`startTime`, `endTime`, `tsuid`, `description`, `notes`, `custom`;
    /// unknown fields ignored, numeric strings accepted for the times, as Jackson reads them).
    init(json value: Any) throws(MetaAPIError) {
        guard let object = value as? [String: Any] else {
            throw MetaAPIError("Unable to parse the given JSON", details: "an annotation must be a JSON object")
        }
        tsuid = try Self.normalise(try MetaJSON.string(object["tsuid"], field: "tsuid"))
        startTime = try MetaJSON.integer(object["startTime"], field: "startTime") ?? 0
        endTime = try MetaJSON.integer(object["endTime"], field: "endTime") ?? 0
        description = try MetaJSON.string(object["description"], field: "description") ?? ""
        notes = try MetaJSON.string(object["notes"], field: "notes") ?? ""
        custom = try MetaJSON.stringMap(object["custom"], field: "custom")
    }

    /// OpenTSDB's `AnnotationRpc.parseQS`: `tsuid`, `start_time` (required, any OpenTSDB time form, kept in
    /// seconds), `end_time`, `description`, `notes`; `custom` cannot be given in a query string.
    init(query: [String: String], nowMs: Int64) throws(MetaAPIError) {
        tsuid = try Self.normalise(query["tsuid"])
        guard let startMs = try OpenTSDBTime.parseMs(query["start_time"], nowMs: nowMs), startMs >= 1 else {
            throw MetaAPIError("Missing start time")
        }
        startTime = startMs / 1000
        endTime = (try OpenTSDBTime.parseMs(query["end_time"], nowMs: nowMs) ?? 0) / 1000
        description = query["description"] ?? ""
        notes = query["notes"] ?? ""
    }

    /// Empty means global; otherwise hex digits (OpenTSDB's `UniqueId.stringToUid`), upper-cased so that a
    /// TSUID matches the series' `SeriesRef.tsuid` whatever case the client used.
    static func normalise(_ tsuid: String?) throws(MetaAPIError) -> String? {
        guard let tsuid, !tsuid.isEmpty else { return nil }
        guard tsuid.allSatisfy(\.isHexDigit) else { throw MetaAPIError("contains illegal character for hexBinary: \(tsuid)") }
        return tsuid.uppercased()
    }
}
