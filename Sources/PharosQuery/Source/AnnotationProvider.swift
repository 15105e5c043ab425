public import PharosCore

/// Supplies the annotations `/api/query` attaches to its results (unless `noAnnotations`).
public protocol AnnotationProvider: Sendable {
    /// Annotations of the given series overlapping `[startMs, endMs]`.
    func annotations(tsuids: [String], startMs: Int64, endMs: Int64) -> [Annotation]
    /// Global annotations (no TSUID) overlapping `[startMs, endMs]`.
    func globalAnnotations(startMs: Int64, endMs: Int64) -> [Annotation]
}

/// An `AnnotationProvider` with nothing to say, for daemons and tests without annotation storage.
public struct NoAnnotations: AnnotationProvider {
    public init() {}
    public func annotations(tsuids: [String], startMs: Int64, endMs: Int64) -> [Annotation] { [] }
    public func globalAnnotations(startMs: Int64, endMs: Int64) -> [Annotation] { [] }
}
