@testable import PharosCore
import Testing

/// How pieces of one span combine (Zipkin's `Span.Builder.merge`) and the cleanup order's tie-breaks.
@Suite("Trace merger: fragments and ordering")
struct TraceMergerFragmentTests {
    @Test func laterTagWinsAnnotationsDeduplicateFlagsOr() {
        let first = Z.span(
            trace: "1", id: "2", kind: .server, name: "get", local: Endpoint(serviceName: "web", ipv4: Z.ipv4("10.0.0.1")),
            annotations: [SpanAnnotation(timestampUs: 5, value: "wr"), SpanAnnotation(timestampUs: 9, value: "ws")],
            tags: [SpanTag(key: "a", value: "1"), SpanTag(key: "c", value: "3")])
        let second = Z.with(
            Z.span(
                trace: "1", parent: "9", id: "2", name: "post", timestampUs: 100, durationUs: 7,
                local: Endpoint(serviceName: "web", port: 80), remote: Endpoint(serviceName: "db"),
                annotations: [SpanAnnotation(timestampUs: 5, value: "wr"), SpanAnnotation(timestampUs: 6, value: "x")],
                tags: [SpanTag(key: "b", value: "2"), SpanTag(key: "c", value: "late")])
        ) { $0.debug = true }
        let merged = TraceMerger.merge([first, second])
        #expect(
            merged == [
                Z.with(
                    Z.span(
                        trace: "1", parent: "9", id: "2", kind: .server, name: "get", timestampUs: 100, durationUs: 7,
                        local: Endpoint(serviceName: "web", ipv4: Z.ipv4("10.0.0.1"), port: 80), remote: Endpoint(serviceName: "db"),
                        annotations: [
                            SpanAnnotation(timestampUs: 5, value: "wr"), SpanAnnotation(timestampUs: 6, value: "x"),
                            SpanAnnotation(timestampUs: 9, value: "ws"),
                        ],
                        tags: [SpanTag(key: "a", value: "1"), SpanTag(key: "b", value: "2"), SpanTag(key: "c", value: "late")])
                ) { $0.debug = true }
            ])
    }

    /// Identical re-reports collapse into one span, so replaying a trace cannot double its links.
    @Test func duplicatesCollapse() {
        let trace = Z.trace
        #expect(TraceMerger.merge(trace + trace) == TraceMerger.merge(trace))
        #expect(TraceMerger.merge(trace).count == 4)
    }

    @Test func conflictingPortsDoNotMerge() {
        let trace: [Span] = [
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "web", port: 80)),
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "web", port: 81)),
        ]
        #expect(TraceMerger.merge(trace) == trace)
    }

    @Test func sharedFlagOnClientIsCleared() {
        let span = Z.span(trace: "1", id: "2", kind: .client, shared: true)
        #expect(TraceMerger.merge([span]) == [Z.span(trace: "1", id: "2", kind: .client)])
        #expect(TraceMerger.merge([]) == [])
    }

    /// IPv4 addresses order as Zipkin's dotted text, not as numbers.
    @Test(arguments: [
        ("10.0.0.1", "9.0.0.1", -1), ("1.2.3.4", "1.2.3.40", -1), ("1.2.3.40", "1.2.3.5", -1),
        ("1.2.3.4", "1.2.3.4", 0), ("255.0.0.0", "25.0.0.0", 1), ("100.1.1.1", "99.1.1.1", -1), ("0.0.0.0", "0.0.0.10", -1),
    ])
    func ipv4TextOrder(lhs: String, rhs: String, expected: Int) {
        #expect(TraceMerger.compareIPv4Text(Z.ipv4(lhs), Z.ipv4(rhs)) == expected)
        #expect(TraceMerger.compareIPv4Text(Z.ipv4(rhs), Z.ipv4(lhs)) == -expected)
    }

    /// Service names order before addresses; an absent part sorts after a present one.
    @Test func endpointTieBreaks() {
        let spans: [Span] = [
            Z.span(trace: "1", id: "2", local: Endpoint(ipv4: Z.ipv4("9.0.0.1"))),
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "b", ipv4: Z.ipv4("9.0.0.1"))),
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "b", ipv4: Z.ipv4("10.0.0.1"))),
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "b")),
            Z.span(trace: "1", id: "2", local: Endpoint(serviceName: "a")),
            Z.span(trace: "1", id: "2"),
        ]
        #expect(TraceMerger.cleanupOrder(spans) == [spans[5], spans[4], spans[2], spans[1], spans[3], spans[0]])
    }
}
