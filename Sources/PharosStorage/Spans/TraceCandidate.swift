/// A trace that may match a search, with the timestamp of the fragment that named it (at least the whole
/// trace's timestamp, since a trace's root comes first), so candidates can be visited newest first.
struct TraceCandidate {
    var high: UInt64
    var low: UInt64
    var timestampUs: Int64
}
