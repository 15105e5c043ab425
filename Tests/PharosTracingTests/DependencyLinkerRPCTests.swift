import PharosCore
import Testing

/// Zipkin's `DependencyLinkerTest`, the RPC cases: client/server pairs, shared span ids, errors, kinds.
@Suite("Dependency linker: RPC links")
struct DependencyLinkerRPCTests {
    @Test func linksSpans() {
        #expect(Z.links(Z.trace) == [Z.link("web", "app", 1), Z.link("app", "db", 1, errors: 1)])
    }

    /// The trace id need not be a span id: linking must not rely on trace id == root span id.
    @Test func traceIdIsOpaque() {
        let differentTraceId = Z.trace.map { span in Z.with(span) { $0.traceIdLow = Z.id("123") } }
        #expect(Z.links(differentTraceId) == Z.links(Z.trace))
    }

    /// Some instrumentation doesn't propagate the server's parent id (openzipkin/zipkin#1745).
    @Test func linksSpans_serverMissingParentId() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "arn", nil, false),
            Z.linkerSpan("a", "a", "b", .client, "arn", "link", false),
            Z.with(Z.linkerSpan("a", nil, "b", .server, "link", "arn", false)) { $0.shared = true },
        ]
        #expect(Z.links(trace.reversed()) == [Z.link("arn", "link", 1)])  // reported in reverse order
    }

    /// Upstream checks the log line `building trace tree: traceId=000000000000000a`; Pharos does not log, so
    /// this checks the tree it builds keeps that trace id.
    @Test func logsTraceId() {
        let tree = SpanNodeTree(trace: Z.trace)
        #expect(tree.spans.map(\.traceIdHex) == Array(repeating: "000000000000000a", count: 4))
    }

    /// A parent id stored late (e.g. because it wasn't propagated) still resolves.
    @Test func lateParentIdInSharedSpan() {
        var withLateParent = Z.trace
        withLateParent[2].parentId = 0
        #expect(Z.links(withLateParent) == [Z.link("web", "app", 1), Z.link("app", "db", 1, errors: 1)])
    }

    /// ... even when the other side of the RPC is never sent.
    @Test func lostChildAndNoParentIdInSharedSpan() {
        var lostClientOrphan = Z.trace
        lostClientOrphan[2].parentId = 0
        lostClientOrphan.remove(at: 1)
        #expect(Z.links(lostClientOrphan) == [Z.link("web", "app", 1), Z.link("app", "db", 1, errors: 1)])
    }

    /// A root span can be a client-originated trace or a server receipt which knows its peer.
    @Test func linksSpansDirectedByKind() {
        let validRootSpans: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "server", "client", false),
            Z.with(Z.linkerSpan("a", nil, "a", .client, "client", "server", false)) { $0.shared = true },
        ]
        for span in validRootSpans {
            #expect(Z.links([span]) == [Z.link("client", "server", 1)])
        }
    }

    @Test func callsAgainstTheSameLinkIncreasesCallCount_span() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "client", nil, false),
            Z.linkerSpan("a", "a", "b", .client, nil, "server", false),
            Z.linkerSpan("a", "a", "c", .client, nil, "server", false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 2)])
    }

    @Test func callsAgainstTheSameLinkIncreasesCallCount_trace() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "client", nil, false),
            Z.linkerSpan("a", "a", "b", .client, nil, "server", false),
        ]
        var accumulator = DependencyLinkAccumulator()
        accumulator.add(Z.links(trace))
        accumulator.add(Z.links(trace))
        #expect(accumulator.links == [Z.link("client", "server", 2)])
    }

    /// Spans are sometimes intermediated by an unknown type of span: prefer the nearest server.
    @Test func intermediatedClientSpansMissingLocalServiceNameLinkToNearestServer() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "client", nil, false),
            Z.linkerSpan("a", "a", "b", nil, nil, nil, false),  // possibly a local fan-out span
            Z.linkerSpan("a", "b", "c", .client, "server", nil, false),
            Z.linkerSpan("a", "b", "d", .client, "server", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 2)])
    }

    @Test func errorsOnUninstrumentedLinks() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "client", nil, false),
            Z.linkerSpan("a", "a", "b", nil, nil, nil, false),
            // there's no remote here, so we shouldn't see any error count
            Z.linkerSpan("a", "b", "c", .client, "server", nil, true),
            Z.linkerSpan("a", "b", "d", .client, "server", nil, true),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 2)])
    }

    @Test func errorsOnInstrumentedLinks() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "foo", nil, false),
            Z.linkerSpan("a", "a", "b", nil, nil, nil, false),
            Z.linkerSpan("a", "b", "c", .client, "bar", "baz", true),
            Z.linkerSpan("a", "b", "d", .client, "bar", "baz", false),
        ]
        #expect(Z.links(trace) == [Z.link("foo", "bar", 2), Z.link("bar", "baz", 2, errors: 1)])
    }

    /// Upstream checks the log line `incrementing error link foo -> bar`; here, the link it describes.
    @Test func linkWithErrorIsLogged() {
        let trace = [Z.linkerSpan("a", "b", "c", .client, "foo", "bar", true)]
        #expect(Z.links(trace) == [Z.link("foo", "bar", 1, errors: 1)])
    }

    /// A tag marks a failed span, an annotation does not.
    @Test func annotationNamedErrorDoesntIncrementErrorCount() {
        let trace = [
            Z.with(Z.linkerSpan("a", "b", "c", .client, "foo", "bar", false)) {
                $0.annotations = [SpanAnnotation(timestampUs: 1, value: "error")]
            }
        ]
        #expect(Z.links(trace) == [Z.link("foo", "bar", 1)])
    }

    /// A loopback span is direction-agnostic, so it links regardless of kind.
    @Test func linksLoopbackSpans() {
        let validRootSpans: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "service", "service", false),
            Z.linkerSpan("b", nil, "b", .client, "service", "service", false),
        ]
        for span in validRootSpans {
            #expect(Z.links([span]) == [Z.link("service", "service", 1)])
        }
    }

    @Test func noSpanKindTreatedSameAsClient() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", nil, "some-client", "web", false),
            Z.linkerSpan("a", "a", "b", nil, "web", "app", false),
            Z.linkerSpan("a", "b", "c", nil, "app", "db", false),
        ]
        #expect(Z.links(trace) == [Z.link("some-client", "web", 1), Z.link("web", "app", 1), Z.link("app", "db", 1)])
    }

    @Test func noSpanKindWithError() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", nil, "some-client", "web", false),
            Z.linkerSpan("a", "a", "b", nil, "web", "app", true),
            Z.linkerSpan("a", "b", "c", nil, "app", "db", false),
        ]
        #expect(
            Z.links(trace) == [Z.link("some-client", "web", 1), Z.link("web", "app", 1, errors: 1), Z.link("app", "db", 1)])
    }

    /// A link is between two services: no link without both names.
    @Test(arguments: [
        Z.linkerSpan("a", nil, "a", .server, nil, nil, false),
        Z.linkerSpan("a", nil, "a", .server, "server", nil, false),
        Z.linkerSpan("a", nil, "a", .server, nil, "client", false),
        Z.linkerSpan("a", nil, "a", .client, nil, nil, false),
        Z.linkerSpan("a", nil, "a", .client, "client", nil, false),
        Z.linkerSpan("a", nil, "a", .client, nil, "server", false),
    ])
    func cannotLinkSingleSpanWithoutBothServiceNames(span: Span) {
        #expect(Z.links([span]) == [])
    }

    /// Creates a link when a span is missing: here the RPC from web to app.
    @Test func missingSpan() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .server, "web", nil, false),
            Z.linkerSpan("a", "a", "b", .client, "app", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("web", "app", 1)])
    }
}
