import Foundation
import Testing

/// Zipkin's `DependencyLinkerTest` (reference B.10) as HTTP cases through `/api/v2/dependencies`.
///
/// Upstream feeds span lists to a fresh linker; here each case (and each sub-case upstream loops over)
/// posts its traces under fresh trace ids, with services suffixed by the case name, and every span gets a
/// timestamp at midnight so the day's window covers it (the linker ignores timestamps). Java-only cases
/// (`logsTraceId`, `linkWithErrorIsLogged`, `merge`, `merge_error`) and the empty `baseCase` are left out.
@Suite(.serialized, .sharedDaemon())
struct ZipkinDependencyLinkerTests {
    /// Upstream's `span(traceId, parentId, id, kind, local, remote, isError)` without the trace id.
    struct S: Sendable {
        var parentId: String?
        var id: String
        var kind: ZipkinSpan.Kind?
        var local: String?
        var remote: String?
        var error = false
        var shared = false
        var annotations: [String] = []

        init(_ parentId: String?, _ id: String, _ kind: ZipkinSpan.Kind?, _ local: String?, _ remote: String?, error: Bool = false) {
            (self.parentId, self.id, self.kind, self.local, self.remote, self.error) = (parentId, id, kind, local, remote, error)
        }

        func sharing() -> S { var copy = self; copy.shared = true; return copy }
        func withoutParent() -> S { var copy = self; copy.parentId = nil; return copy }
        func annotated(_ value: String) -> S { var copy = self; copy.annotations.append(value); return copy }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let traces: [[S]]
        /// (parent, child, callCount, errorCount) by base service name.
        let links: [(String, String, Int64, Int64)]
        var traceId: String? = nil
        var testDescription: String { name }
    }

    /// `DependencyLinkerTest.TRACE`, in the reverse order reporting usually happens.
    static let trace = [
        S("b", "c", .CLIENT, "app", "db", error: true), S("a", "b", .SERVER, "app", "web").sharing(), S("a", "b", .CLIENT, "web", "app"),
        S(nil, "a", .SERVER, "web", nil),
    ]
    static let traceLinks: [(String, String, Int64, Int64)] = [("web", "app", 1, 0), ("app", "db", 1, 1)]

    static let cases: [Case] = [
        Case(name: "linksSpans", traces: [trace], links: traceLinks),
        Case(name: "traceIdIsOpaque", traces: [trace], links: traceLinks, traceId: "0000000000000123"),
        Case(
            name: "linksSpans_serverMissingParentId",
            traces: [[S(nil, "b", .SERVER, "link", "arn").sharing(), S("a", "b", .CLIENT, "arn", "link"), S(nil, "a", .SERVER, "arn", nil)]],
            links: [("arn", "link", 1, 0)]),
        Case(name: "lateParentIdInSharedSpan", traces: [[trace[0], trace[1], trace[2].withoutParent(), trace[3]]], links: traceLinks),
        Case(name: "lostChildAndNoParentIdInSharedSpan", traces: [[trace[0], trace[2].withoutParent(), trace[3]]], links: traceLinks),
        Case(
            name: "messagingSpansDontLinkWithoutBroker_consumer",
            traces: [[S(nil, "a", .PRODUCER, "producer", nil), S("a", "b", .CONSUMER, "consumer", "kafka")]], links: [("kafka", "consumer", 1, 0)]),
        Case(
            name: "messagingSpansDontLinkWithoutBroker_producer",
            traces: [[S(nil, "a", .PRODUCER, "producer", "kafka"), S("a", "b", .CONSUMER, "consumer", nil)]], links: [("producer", "kafka", 1, 0)]),
        Case(
            name: "messagingWithBroker_both_sides_same",
            traces: [[S(nil, "a", .PRODUCER, "producer", "kafka"), S("a", "b", .CONSUMER, "consumer", "kafka")]],
            links: [("producer", "kafka", 1, 0), ("kafka", "consumer", 1, 0)]),
        Case(
            name: "messagingWithBroker_different",
            traces: [[S(nil, "a", .PRODUCER, "producer", "kafka1"), S("a", "b", .CONSUMER, "consumer", "kafka2")]],
            links: [("producer", "kafka1", 1, 0), ("kafka2", "consumer", 1, 0)]),
        Case(
            name: "messagingWithoutBroker_noLinks", traces: [[S(nil, "a", .PRODUCER, "producer", nil), S("a", "b", .CONSUMER, "consumer", nil)]],
            links: []),
        Case(
            name: "producerLinksToServer_childSpan", traces: [[S(nil, "a", .PRODUCER, "producer", nil), S("a", "b", .SERVER, "server", nil)]],
            links: [("producer", "server", 1, 0)]),
        Case(
            name: "producerLinksToServer_sameSpan",
            traces: [[S(nil, "a", .PRODUCER, "producer", nil), S(nil, "a", .SERVER, "server", nil).sharing()]], links: [("producer", "server", 1, 0)]),
        Case(
            name: "clientDoesntLinkToConsumer_child", traces: [[S(nil, "a", .CLIENT, "client", nil), S("a", "b", .CONSUMER, "consumer", nil)]],
            links: []),
        Case(name: "linksSpansDirectedByKind_server", traces: [[S(nil, "a", .SERVER, "server", "client")]], links: [("client", "server", 1, 0)]),
        Case(
            name: "linksSpansDirectedByKind_client", traces: [[S(nil, "a", .CLIENT, "client", "server").sharing()]],
            links: [("client", "server", 1, 0)]),
        Case(
            name: "callsAgainstTheSameLinkIncreasesCallCount_span",
            traces: [[S(nil, "a", .SERVER, "client", nil), S("a", "b", .CLIENT, nil, "server"), S("a", "c", .CLIENT, nil, "server")]],
            links: [("client", "server", 2, 0)]),
        Case(
            name: "callsAgainstTheSameLinkIncreasesCallCount_trace",
            traces: Array(repeating: [S(nil, "a", .SERVER, "client", nil), S("a", "b", .CLIENT, nil, "server")], count: 2),
            links: [("client", "server", 2, 0)]),
        Case(
            name: "singleHostSpansResultInASingleCallCount",
            traces: [[S(nil, "a", .CLIENT, "client", nil), S("a", "b", .SERVER, "server", nil)]], links: [("client", "server", 1, 0)]),
        Case(
            name: "singleHostSpansResultInASingleErrorCount",
            traces: [[S(nil, "a", .CLIENT, "client", nil, error: true), S("a", "b", .SERVER, "server", nil, error: true)]],
            links: [("client", "server", 1, 1)]),
        Case(
            name: "singleHostSpansResultInASingleErrorCount_sameId",
            traces: [[S(nil, "a", .CLIENT, "client", nil, error: true), S(nil, "a", .SERVER, "server", nil, error: true).sharing()]],
            links: [("client", "server", 1, 1)]),
        Case(
            name: "singleHostSpansResultInASingleCallCount_defersNameToServer",
            traces: [[S(nil, "a", .CLIENT, "client", "server"), S("a", "b", .SERVER, "server", nil)]], links: [("client", "server", 1, 0)]),
        Case(
            name: "singleHostSpans_multipleChildren",
            traces: [
                [S(nil, "a", .CLIENT, "client", nil), S("a", "b", .SERVER, "server", "client", error: true), S("a", "c", .SERVER, "server", "client")]
            ], links: [("client", "server", 2, 1)]),
        Case(
            name: "singleHostSpans_multipleChildren_defersNameToServer",
            traces: [[S(nil, "a", .CLIENT, "client", "server"), S("a", "b", .SERVER, "server", nil), S("a", "c", .SERVER, "server", nil)]],
            links: [("client", "server", 2, 0)]),
        Case(
            name: "intermediatedClientSpansMissingLocalServiceNameLinkToNearestServer",
            traces: [
                [S(nil, "a", .SERVER, "client", nil), S("a", "b", nil, nil, nil), S("b", "c", .CLIENT, "server", nil), S("b", "d", .CLIENT, "server", nil)]
            ], links: [("client", "server", 2, 0)]),
        Case(
            name: "errorsOnUninstrumentedLinks",
            traces: [
                [
                    S(nil, "a", .SERVER, "client", nil), S("a", "b", nil, nil, nil), S("b", "c", .CLIENT, "server", nil, error: true),
                    S("b", "d", .CLIENT, "server", nil, error: true),
                ]
            ], links: [("client", "server", 2, 0)]),
        Case(
            name: "errorsOnInstrumentedLinks",
            traces: [
                [
                    S(nil, "a", .SERVER, "foo", nil), S("a", "b", nil, nil, nil), S("b", "c", .CLIENT, "bar", "baz", error: true),
                    S("b", "d", .CLIENT, "bar", "baz"),
                ]
            ], links: [("foo", "bar", 2, 0), ("bar", "baz", 2, 1)]),
        Case(
            name: "annotationNamedErrorDoesntIncrementErrorCount", traces: [[S("b", "c", .CLIENT, "foo", "bar").annotated("error")]],
            links: [("foo", "bar", 1, 0)]),
        Case(name: "linksLoopbackSpans_server", traces: [[S(nil, "a", .SERVER, "service", "service")]], links: [("service", "service", 1, 0)]),
        Case(name: "linksLoopbackSpans_client", traces: [[S(nil, "b", .CLIENT, "service", "service")]], links: [("service", "service", 1, 0)]),
        Case(
            name: "noSpanKindTreatedSameAsClient",
            traces: [[S(nil, "a", nil, "some-client", "web"), S("a", "b", nil, "web", "app"), S("b", "c", nil, "app", "db")]],
            links: [("some-client", "web", 1, 0), ("web", "app", 1, 0), ("app", "db", 1, 0)]),
        Case(
            name: "noSpanKindWithError",
            traces: [[S(nil, "a", nil, "some-client", "web"), S("a", "b", nil, "web", "app", error: true), S("b", "c", nil, "app", "db")]],
            links: [("some-client", "web", 1, 0), ("web", "app", 1, 1), ("app", "db", 1, 0)]),
    ]
        + [
            S(nil, "a", .SERVER, nil, nil), S(nil, "a", .SERVER, "server", nil), S(nil, "a", .SERVER, nil, "client"),
            S(nil, "a", .CLIENT, nil, nil), S(nil, "a", .CLIENT, "client", nil), S(nil, "a", .CLIENT, nil, "server"),
        ].enumerated().map { Case(name: "cannotLinkSingleSpanWithoutBothServiceNames_\($0.offset)", traces: [[$0.element]], links: []) }
        + [
            Case(
                name: "doesntLinkUnrelatedSpansWhenMissingRootSpan",
                traces: [[S("a", "b", .SERVER, "service1", nil), S("a", "c", .SERVER, "service2", nil)]], links: []),
            Case(
                name: "linksRelatedSpansWhenMissingRootSpan",
                traces: [[S("a", "b", .SERVER, "service1", nil), S("b", "c", .SERVER, "service2", nil)]], links: [("service1", "service2", 1, 0)]),
            Case(
                name: "linksSingleHostSpans", traces: [[S(nil, "a", .CLIENT, "web", nil), S("a", "b", .SERVER, "app", nil)]],
                links: [("web", "app", 1, 0)]),
            Case(
                name: "linksSingleHostSpans_errorOnClient",
                traces: [[S(nil, "a", .CLIENT, "web", nil, error: true), S("a", "b", .SERVER, "app", nil)]], links: [("web", "app", 1, 1)]),
            Case(
                name: "missingSpan", traces: [[S(nil, "a", .SERVER, "web", nil), S("a", "b", .CLIENT, "app", nil)]], links: [("web", "app", 1, 0)]),
        ]

    @Test(arguments: cases)
    func linker(_ linkerCase: Case) throws {
        let c = try ZipkinCase()
        let suffix = linkerCase.name.lowercased()
        func service(_ base: String?) -> ZipkinEndpoint? { base.map { ZipkinEndpoint(serviceName: TestObjects.appendSuffix($0, suffix)) } }
        let timestamp = TestObjects.TODAY * 1000
        for trace in linkerCase.traces {
            let traceId = linkerCase.traceId ?? TestObjects.hex(UInt64.random(in: 1...UInt64.max))
            try c.accept(
                trace.map { s in
                    ZipkinSpan(
                        traceId: traceId, parentId: s.parentId, id: s.id, kind: s.kind, timestamp: timestamp, localEndpoint: service(s.local),
                        remoteEndpoint: service(s.remote), annotations: s.annotations.map { ZipkinAnnotation(timestamp: 1, value: $0) },
                        tags: s.error ? ["error": ""] : [:], shared: s.shared)
                })
        }
        let expected = linkerCase.links.map {
            ZipkinLink(
                parent: TestObjects.appendSuffix($0.0, suffix), child: TestObjects.appendSuffix($0.1, suffix), callCount: $0.2, errorCount: $0.3)
        }
        try c.inEveryPhase {
            try c.expectLinks(endTs: TestObjects.TODAY + TestObjects.DAY, lookback: 2 * TestObjects.DAY, expected, suffix: suffix)
        }
    }
}
