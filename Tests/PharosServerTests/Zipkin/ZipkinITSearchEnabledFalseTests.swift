import Foundation
import Testing

/// Zipkin's `ITSearchEnabledFalse` (reference B.6) on a daemon started with `--search-enabled false`: the
/// indexes answer nothing, while `/trace/{id}` (and ingest) still work.
@Suite(.serialized, .sharedDaemon("--search-enabled", "false"))
struct ZipkinITSearchEnabledFalseTests {
    typealias T = TestObjects

    static func acceptClientSpan(_ c: ZipkinCase) throws -> ZipkinSpan {
        let span = T.clientSpan(traceId: T.newTraceId(), suffix: c.suffix)
        try c.accept(span)
        return span
    }

    @Test func getTraces_indexDataReturnsNothing() throws {
        let c = try ZipkinCase()
        let span = try Self.acceptClientSpan(c)
        try c.inEveryPhase {
            for q in [
                TracesQuery.defaults, .defaults.with { $0.serviceName = span.localServiceName }, .defaults.with { $0.spanName = span.name },
                .defaults.with { $0.annotationQuery = TracesQuery.annotationQuery(span.tags) }, .defaults.with { $0.minDuration = span.duration },
            ] {
                #expect(try c.getTraces(q) == [], "[\(c.phase)] \(q)")
            }
            try c.expectTrace(span.traceId, [span])
        }
    }

    @Test func getServiceNames_isEmpty() throws {
        let c = try ZipkinCase()
        _ = try Self.acceptClientSpan(c)
        try c.inEveryPhase { try c.expectStrings("/api/v2/services", []) }
    }

    @Test func getRemoteServiceNames_isEmpty() throws {
        let c = try ZipkinCase()
        let span = try Self.acceptClientSpan(c)
        try c.inEveryPhase { try c.expectStrings("/api/v2/remoteServices?serviceName=" + span.localServiceName!, []) }
    }

    @Test func getSpanNames_isEmpty() throws {
        let c = try ZipkinCase()
        let span = try Self.acceptClientSpan(c)
        try c.inEveryPhase { try c.expectStrings("/api/v2/spans?serviceName=" + span.localServiceName!, []) }
    }
}
