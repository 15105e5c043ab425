public import PharosQuery
import PharosStorage

/// The store answers `/api/query`'s annotation look-ups from its catalog (`MetricStore+Annotations.swift`).
extension MetricStore: AnnotationProvider {}
