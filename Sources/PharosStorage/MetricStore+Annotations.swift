import Logging
public import PharosCore

/// OpenTSDB annotations, persisted in the catalog so they survive restarts.
///
/// Keys are (TSUID, start time as given); a nil or empty TSUID is a global annotation. Reads for queries are
/// indexed SQLite reads on a pool reader, never the per-point path.
extension MetricStore {
    /// The annotation stored at `tsuid` (nil or "" = global) and `startTime`, if any.
    public func annotation(tsuid: String?, startTime: Int64) throws(StorageError) -> Annotation? {
        try catalog.annotation(tsuid: tsuid ?? "", startTime: startTime)
    }

    /// Read-modify-write of annotations in one transaction: `merge(index, stored)` returns the annotation to
    /// store at `keys[index]`, or nil to leave it (OpenTSDB's "no changes", a 304). The key's TSUID and start
    /// time win over whatever `merge` returns. Returns, per key, the stored annotation or nil if left alone.
    public func mergeAnnotations(
        _ keys: [(tsuid: String?, startTime: Int64)], _ merge: (Int, Annotation?) -> Annotation?
    ) throws(StorageError) -> [Annotation?] {
        try catalog.mergeAnnotations(keys.map { ($0.tsuid ?? "", $0.startTime) }, merge)
    }

    /// Deletes one annotation; false when none was stored there.
    @discardableResult
    public func deleteAnnotation(tsuid: String?, startTime: Int64) throws(StorageError) -> Bool {
        try catalog.deleteAnnotation(tsuid: tsuid ?? "", startTime: startTime)
    }

    /// Deletes the annotations of `tsuids` (and the global ones when `global`) whose start lies in
    /// `startMs...endMs`; returns how many went (OpenTSDB's bulk delete).
    public func deleteAnnotations(tsuids: [String], global: Bool, startMs: Int64, endMs: Int64) throws(StorageError) -> Int {
        try catalog.deleteAnnotations(tsuids: tsuids + (global ? [""] : []), startMs: startMs, endMs: endMs)
    }

    /// Annotations of the given series whose span (start to end time) overlaps `startMs...endMs`, by start
    /// time, for query results.
    /// A catalog failure is logged and yields none: annotations never fail a data query.
    public func annotations(tsuids: [String], startMs: Int64, endMs: Int64) -> [Annotation] {
        readAnnotations(tsuids.filter { !$0.isEmpty }, startMs: startMs, endMs: endMs)
    }

    /// Global annotations whose span overlaps `startMs...endMs`, by start time (a query's `globalAnnotations`).
    public func globalAnnotations(startMs: Int64, endMs: Int64) -> [Annotation] {
        readAnnotations([""], startMs: startMs, endMs: endMs)
    }

    private func readAnnotations(_ tsuids: [String], startMs: Int64, endMs: Int64) -> [Annotation] {
        do { return try catalog.annotations(tsuids: tsuids, startMs: startMs, endMs: endMs) } catch {
            logger.error("cannot read annotations", metadata: ["error": "\(error)"])
            return []
        }
    }
}
