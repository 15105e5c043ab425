import Foundation
import Testing

/// Zipkin's `ITStrictTraceIdFalse` (reference B.5) on a daemon started with `--strict-trace-id false`:
/// everything sharing the lower 64 bits of a trace id is one trace, found by either width of id.
@Suite(.serialized, .sharedDaemon("--strict-trace-id", "false"))
struct ZipkinITStrictTraceIdFalseTests {
    typealias T = TestObjects

    /// `accept128BitTrace`: `newTrace`, reported in reverse order.
    static func accept128BitTrace(_ c: ZipkinCase) throws -> [ZipkinSpan] {
        let trace = Array(T.newTrace(c.suffix).reversed())
        try c.accept(trace)
        return trace
    }

    /// `acceptMixedTrace`: `newTrace` whose spans after the outbound client carry only the lower 64 bits,
    /// as from a server that downgraded the id.
    static func acceptMixedTrace(_ c: ZipkinCase) throws -> [ZipkinSpan] {
        var trace = T.newTrace(c.suffix)
        let downgraded = T.lower64(trace[0].traceId)
        for i in 2..<trace.count { trace[i].traceId = downgraded }
        trace.reverse()
        try c.accept(trace)
        return trace
    }

    static func expectSearches(_ c: ZipkinCase, _ trace: [ZipkinSpan]) throws {
        try c.expectTraces(.defaults, [trace])
        try c.expectTraces(.defaults.with { $0.serviceName = T.appendSuffix("frontend", c.suffix); $0.annotationQuery = "foo" }, [trace])
        try c.expectTraces(.defaults.with { $0.serviceName = T.appendSuffix("backend", c.suffix); $0.annotationQuery = "error" }, [trace])
    }

    static func expectRetrievesBy64Or128BitTraceId(_ c: ZipkinCase, _ trace: [ZipkinSpan]) throws {
        let traceId = trace.first { $0.traceId.count == 32 }!.traceId
        try c.expectTrace(traceId, trace)
        try c.expectTrace(T.lower64(traceId), trace)
    }

    @Test func getTraces_128BitTraceId() throws {
        let c = try ZipkinCase()
        let trace = try Self.accept128BitTrace(c)
        try c.inEveryPhase { try Self.expectSearches(c, trace) }
    }

    @Test func getTraces_128BitTraceId_mixed() throws {
        let c = try ZipkinCase()
        let trace = try Self.acceptMixedTrace(c)
        try c.inEveryPhase(restart: true) { try Self.expectSearches(c, trace) }
    }

    @Test func getTrace_retrievesBy64Or128BitTraceId() throws {
        let c = try ZipkinCase()
        let trace = try Self.accept128BitTrace(c)
        try c.inEveryPhase { try Self.expectRetrievesBy64Or128BitTraceId(c, trace) }
    }

    @Test func getTrace_retrievesBy64Or128BitTraceId_mixed() throws {
        let c = try ZipkinCase()
        let trace = try Self.acceptMixedTrace(c)
        try c.inEveryPhase(restart: true) { try Self.expectRetrievesBy64Or128BitTraceId(c, trace) }
    }

    /// Three pairs of a 128-bit span and a 64-bit span 1 ms later; `traceMany` by any mix of widths
    /// returns each asked-for pair as one trace.
    @Test func getTraces_retrievesBy64Or128BitTraceId() throws {
        let c = try ZipkinCase()
        let pairs = ["a", "b", "c"].map { id -> (ZipkinSpan, ZipkinSpan) in
            let with128 = T.spanBuilder(c.suffix)
            let with64 = with128.with {
                $0.traceId = T.lower64(with128.traceId)
                $0.id = id
                $0.timestamp = with128.timestamp! + 1000
            }
            return (with128, with64)
        }
        try c.accept(pairs.flatMap { [$0.0, $0.1] })
        let trace1And3 = [[pairs[0].0, pairs[0].1], [pairs[2].0, pairs[2].1]]
        try c.inEveryPhase {
            try c.expectTraceMany([pairs[0].0.traceId, pairs[0].1.traceId, pairs[2].0.traceId, pairs[2].1.traceId], trace1And3)
            try c.expectTraceMany([pairs[0].1.traceId, pairs[2].1.traceId], trace1And3)
            try c.expectTraceMany([pairs[0].0.traceId, pairs[2].0.traceId], trace1And3)
        }
    }
}
