import PharosCore
import PharosIngest

/// Jackson's rendering of OpenTSDB's `Annotation`: `tsuid` ("" for a global note), `description`, `notes`,
/// `custom` (left out when there is none), `endTime` (0 when unset), `startTime`, in the order OpenTSDB's
/// documented responses show. Custom keys are sorted.
enum AnnotationJSON {
    static func render(_ note: Annotation) -> String {
        var out = "{\"tsuid\":" + OpenTSDBResponses.jsonString(note.tsuid ?? "")
        out += ",\"description\":" + OpenTSDBResponses.jsonString(note.description)
        out += ",\"notes\":" + OpenTSDBResponses.jsonString(note.notes)
        if !note.custom.isEmpty {
            out += ",\"custom\":{"
            out += note.custom.sorted { $0.key < $1.key }
                .map { OpenTSDBResponses.jsonString($0.key) + ":" + OpenTSDBResponses.jsonString($0.value) }.joined(separator: ",")
            out += "}"
        }
        return out + ",\"endTime\":\(note.endTime ?? 0),\"startTime\":\(note.startTime)}"
    }

    static func render(_ notes: [Annotation]) -> String {
        "[" + notes.map(render).joined(separator: ",") + "]"
    }
}
