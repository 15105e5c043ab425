@testable import PharosCore
import Testing

/// Zipkin's `TraceTest`: merging the spans of one trace before building its tree.
@Suite("Trace merger")
struct TraceMergerTests {
    /// Some don't propagate the server's parent id, which creates a race condition (apache/incubator-zipkin#1745).
    @Test func backfillsMissingParentIdOnSharedSpan() {
        let trace: [Span] = [
            Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
            Z.mergeSpan("a", nil, "b", .server, "backend", nil, true),  // the parent id wasn't propagated
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
                Z.mergeSpan("a", "a", "b", .server, "backend", nil, true),
            ])
    }

    @Test func backfillsMissingSharedFlag() {
        let trace: [Span] = [
            Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, "frontend", "1.2.3.4", false),
            Z.mergeSpan("a", "a", "b", .server, "backend", "5.6.7.8", false),  // the shared flag was forgotten
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.mergeSpan("a", "a", "b", .client, "frontend", "1.2.3.4", false),
                Z.mergeSpan("a", "a", "b", .server, "backend", "5.6.7.8", true),
            ])
    }

    /// Some truncate an incoming trace id to 64 bits.
    @Test func choosesBestTraceId() {
        let trace: [Span] = [
            Z.mergeSpan("7180c278b62e8f6a216a2aea45d08fc9", nil, "a", .server, "frontend", nil, false),
            Z.mergeSpan("7180c278b62e8f6a216a2aea45d08fc9", "a", "b", .client, "frontend", nil, false),
            Z.mergeSpan("216a2aea45d08fc9", "a", "b", .server, "backend", nil, true),
        ]
        #expect(TraceMerger.merge(trace).map(\.traceIdHex) == Array(repeating: "7180c278b62e8f6a216a2aea45d08fc9", count: 3))
    }

    /// Poor data, but only on the first hop: pieces without endpoints merge into the span they belong to.
    @Test func mergesWhenMissingEndpoints() {
        let serverTags = [SpanTag(key: "service", value: "frontend"), SpanTag(key: "span.kind", value: "SERVER")]
        let clientTags = [SpanTag(key: "service", value: "frontend"), SpanTag(key: "span.kind", value: "CLIENT")]
        let trace: [Span] = [
            Z.span(trace: "a", id: "a", tags: serverTags),
            Z.span(trace: "a", parent: "a", id: "b", timestampUs: 1, tags: clientTags),
            Z.mergeSpan("a", "a", "b", .server, "backend", nil, true),
            Z.span(trace: "a", parent: "a", id: "b", durationUs: 10),
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.span(trace: "a", id: "a", tags: serverTags),
                Z.span(trace: "a", parent: "a", id: "b", timestampUs: 1, durationUs: 10, tags: clientTags),
                Z.mergeSpan("a", "a", "b", .server, "backend", nil, true),
            ])
    }

    /// A proxy doing transparent retries can make two servers share one id by accident.
    @Test func doesntMergeSharedSpansOnDifferentIPs() {
        let flush = [SpanAnnotation(timestampUs: 3, value: "brave.flush")]
        let trace: [Span] = [
            Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
            Z.with(Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false)) {
                $0.timestampUs = 1
                $0.annotations = flush
            },
            Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.4", true),
            Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", true),
            Z.with(Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false)) { $0.durationUs = 10 },
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.with(Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false)) {
                    $0.timestampUs = 1
                    $0.durationUs = 10
                    $0.annotations = flush
                },
                Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.4", true),
                Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", true),
            ])
    }

    /// As above, but the late data has no kind or endpoint: it lands on the first span with that id.
    @Test func putsRandomDataOnFirstSpanWithEndpoint() {
        let flush = [SpanAnnotation(timestampUs: 3, value: "brave.flush")]
        let trace: [Span] = [
            Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, nil, nil, false),
            Z.with(Z.mergeSpan("a", "a", "b", nil, "frontend", nil, false)) {
                $0.timestampUs = 1
                $0.annotations = flush
            },
            Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.4", true),
            Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", true),
            Z.with(Z.mergeSpan("a", "a", "b", nil, nil, nil, false)) { $0.durationUs = 10 },
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.with(Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false)) {
                    $0.timestampUs = 1
                    $0.durationUs = 10
                    $0.annotations = flush
                },
                Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.4", true),
                Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", true),
            ])
    }

    /// Parts of a local endpoint sent separately still merge: data is not partitioned too finely.
    @Test func mergesIncompleteEndpoints() {
        let trace: [Span] = [
            Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, nil, "1.2.3.4", false),
            Z.mergeSpan("a", "a", "b", .server, nil, "1.2.3.5", true),
            Z.mergeSpan("a", "a", "b", .server, "backend", nil, true),
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.mergeSpan("a", "a", "b", .client, "frontend", "1.2.3.4", false),
                Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", true),
            ])
    }

    /// Zipkin's span builder drops a parent id equal to the span id; the merger does it for Pharos spans.
    @Test func deletesSelfReferencingParentId() {
        let trace: [Span] = [
            Z.mergeSpan("a", "a", "a", .server, "frontend", nil, false),
            Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
        ]
        #expect(
            TraceMerger.merge(trace) == [
                Z.mergeSpan("a", nil, "a", .server, "frontend", nil, false),
                Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
            ])
    }

    @Test func worksWhenMissingParentSpan() {
        let missingParentId = "a"
        let trace: [Span] = [
            Z.mergeSpan("a", missingParentId, "b", .server, "backend", "1.2.3.4", false),
            Z.mergeSpan("a", missingParentId, "c", .server, "backend", nil, false),
        ]
        #expect(TraceMerger.merge(trace) == trace)
    }

    /// Some instrumentation doesn't add the shared flag to servers: the client must sort first.
    @Test func cleanupComparator_ordersClientFirst() {
        let trace: [Span] = [
            Z.mergeSpan("a", "a", "b", .server, "backend", "1.2.3.5", false),
            Z.mergeSpan("a", "a", "b", .client, "frontend", nil, false),
        ]
        #expect(TraceMerger.cleanupOrder(trace).first?.kind == .client)
    }

    /// The ordering must be transitive (TimSort throws on a broken comparator with 32+ elements).
    @Test func cleanupComparator_transitiveKindComparison() {
        let a = Endpoint(serviceName: "a")
        let b = Endpoint(serviceName: "b")
        let template = Z.span(trace: "a", id: "a")
        var trace: [Span] = []
        for _ in 0..<7 {
            trace.append(Z.with(template) { $0.shared = true; $0.localEndpoint = b })
            trace.append(Z.with(template) { $0.kind = .client; $0.localEndpoint = b })
            trace.append(Z.with(template) { $0.localEndpoint = a })
            trace.append(template)
            trace.append(Z.with(template) { $0.kind = .client; $0.localEndpoint = a })
        }
        var distinct: [String] = []
        for span in TraceMerger.cleanupOrder(trace) {
            let row = "\(span.shared) \(span.kind?.zipkinName ?? "-") \(span.localEndpoint?.serviceName ?? "-")"
            if distinct.last != row { distinct.append(row) }
        }
        #expect(distinct == ["false CLIENT a", "false CLIENT b", "false - -", "false - a", "true - b"])
    }
}
