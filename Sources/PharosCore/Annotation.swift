/// An OpenTSDB annotation: a note on a time (or span of time), global or attached to one series.
///
/// Stored by `/api/annotation`, returned with query results unless `noAnnotations` is set.
public struct Annotation: Sendable, Equatable, Hashable {
    /// Seconds since the epoch, as OpenTSDB's API carries them.
    public var startTime: Int64
    public var endTime: Int64?
    /// The series it belongs to; nil for a global annotation.
    public var tsuid: String?
    public var description: String
    public var notes: String
    public var custom: [String: String]

    public init(
        startTime: Int64, endTime: Int64? = nil, tsuid: String? = nil, description: String = "", notes: String = "",
        custom: [String: String] = [:]
    ) {
        self.startTime = startTime
        self.endTime = endTime
        self.tsuid = tsuid
        self.description = description
        self.notes = notes
        self.custom = custom
    }
}
