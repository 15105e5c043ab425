import PharosCore
import Testing

/// Zipkin's `DependencyLinkerTest`: spans that record only their own side, and traces missing their root.
@Suite("Dependency linker: single-host spans and headless traces")
struct DependencyLinkerSingleHostTests {
    /// When the kind is known, one-sided client and server spans link without counting the call twice.
    @Test func singleHostSpansResultInASingleCallCount() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", nil, false),
            Z.linkerSpan("a", "a", "b", .server, "server", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 1)])
    }

    @Test func singleHostSpansResultInASingleErrorCount() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", nil, true),
            Z.linkerSpan("a", "a", "b", .server, "server", nil, true),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 1, errors: 1)])
    }

    @Test func singleHostSpansResultInASingleErrorCount_sameId() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", nil, true),
            Z.with(Z.linkerSpan("a", nil, "a", .server, "server", nil, true)) { $0.shared = true },
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 1, errors: 1)])
    }

    @Test func singleHostSpansResultInASingleCallCount_defersNameToServer() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", "server", false),
            Z.linkerSpan("a", "a", "b", .server, "server", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 1)])
    }

    @Test func singleHostSpans_multipleChildren() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", nil, false),
            Z.linkerSpan("a", "a", "b", .server, "server", "client", true),
            Z.linkerSpan("a", "a", "c", .server, "server", "client", false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 2, errors: 1)])
    }

    @Test func singleHostSpans_multipleChildren_defersNameToServer() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", "server", false),
            Z.linkerSpan("a", "a", "b", .server, "server", nil, false),
            Z.linkerSpan("a", "a", "c", .server, "server", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("client", "server", 2)])
    }

    /// Client and server spans that don't share ids are server spans missing their peer.
    @Test func linksSingleHostSpans() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "web", nil, false),
            Z.linkerSpan("a", "a", "b", .server, "app", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("web", "app", 1)])
    }

    @Test func linksSingleHostSpans_errorOnClient() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "web", nil, true),
            Z.linkerSpan("a", "a", "b", .server, "app", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("web", "app", 1, errors: 1)])
    }

    /// Two servers under a missing root are unrelated: nothing links them.
    @Test func doesntLinkUnrelatedSpansWhenMissingRootSpan() {
        let missingParentId = "a"
        let trace: [Span] = [
            Z.linkerSpan("a", missingParentId, "b", .server, "service1", nil, false),
            Z.linkerSpan("a", missingParentId, "c", .server, "service2", nil, false),
        ]
        #expect(Z.links(trace) == [])
        #expect(SpanNodeTree(trace: trace).root == nil)  // upstream: "skipping fake root node for broken span tree"
    }

    @Test func linksRelatedSpansWhenMissingRootSpan() {
        let missingParentId = "a"
        let trace: [Span] = [
            Z.linkerSpan("a", missingParentId, "b", .server, "service1", nil, false),
            Z.linkerSpan("a", "b", "c", .server, "service2", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("service1", "service2", 1)])
        #expect(SpanNodeTree(trace: trace).root == nil)
    }
}
