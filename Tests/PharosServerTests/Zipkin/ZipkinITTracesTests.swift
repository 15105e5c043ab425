import Foundation
import Testing

/// Zipkin's `ITTraces` (reference B.2): `/api/v2/trace/{id}` and `/api/v2/traceMany` with the default
/// strict trace ids, where a 128-bit id and its lower 64 bits are different traces.
@Suite(.serialized, .sharedDaemon())
struct ZipkinITTracesTests {
    typealias T = TestObjects

    @Test func getTrace_returnsEmptyOnNotFound() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.expectTrace(clientSpan.traceId, [])
        try c.accept(clientSpan)
        try c.inEveryPhase(restart: true) {
            try c.expectTrace(clientSpan.traceId, [clientSpan])
            try c.expectTrace(T.lower64(clientSpan.traceId), [])
        }
    }

    static func debugAndShared(_ suffix: String) -> (client: ZipkinSpan, server: ZipkinSpan) {
        let clientSpan = T.newClientSpan(suffix).with { $0.debug = true }
        return (clientSpan, clientSpan.with { $0.kind = .SERVER; $0.debug = false; $0.shared = true })
    }

    /// Guards against mixing up the debug and shared flags when mixed-length traces are linked.
    @Test func getTrace_differentiatesDebugFromShared() throws {
        let c = try ZipkinCase()
        let (clientSpan, serverSpan) = Self.debugAndShared(c.suffix)
        try c.accept(clientSpan, serverSpan)
        try c.inEveryPhase { try c.expectTrace(clientSpan.traceId, [clientSpan, serverSpan]) }
    }

    @Test func getTraces_onlyReturnsTracesThatMatch() throws {
        let c = try ZipkinCase()
        let span1 = T.spanBuilder(c.suffix), span2 = T.spanBuilder(c.suffix)
        let traceIds = [span1.traceId, T.newTraceId()]
        try c.expectTraceMany(traceIds, [])
        try c.accept(span1, span2)
        try c.inEveryPhase {
            try c.expectTraceMany(traceIds, [[span1]])
            try c.expectTraceMany(traceIds.map(T.lower64), [])
        }
    }

    /// Upstream passes one id; zipkin-server refuses a single id on `/traceMany`, so a random second one rides along.
    @Test func getTraces_differentiatesDebugFromShared() throws {
        let c = try ZipkinCase()
        let (clientSpan, serverSpan) = Self.debugAndShared(c.suffix)
        try c.accept(clientSpan, serverSpan)
        try c.inEveryPhase { try c.expectTraceMany([clientSpan.traceId, T.newTraceId()], [[clientSpan, serverSpan]]) }
    }

    @Test func getTraces_returnsEmptyOnNotFound() throws {
        let c = try ZipkinCase()
        let span1 = T.spanBuilder(c.suffix), span2 = T.spanBuilder(c.suffix)
        let traceIds = [span1.traceId, span2.traceId]
        try c.expectTraceMany(traceIds, [])
        try c.accept(span1, span2)
        try c.inEveryPhase(restart: true) {
            try c.expectTraceMany(traceIds, [[span1], [span2]])
            try c.expectTraceMany(traceIds.map(T.lower64), [])
        }
    }

    /// Optional upstream: a re-processed message must not show the span twice.
    @Test func getTrace_deduplicates() throws {
        let c = try ZipkinCase()
        let span = T.spanBuilder(c.suffix)
        try c.accept(span)
        try c.accept(span)
        try c.inEveryPhase(restart: true) { try c.expectTrace(span.traceId, [span]) }
    }
}
