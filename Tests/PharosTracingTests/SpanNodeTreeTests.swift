import PharosCore
import Testing

/// The trace tree the linker walks (Zipkin's `SpanNode`): where each span hangs and the visiting order.
@Suite("Span node tree")
struct SpanNodeTreeTests {
    /// The shared server hangs under its client, and the db client under that server (same endpoint).
    @Test func sharedServerUnderClient() {
        let tree = SpanNodeTree(trace: Z.trace)
        // merged order: a, client b, shared server b, c
        #expect(tree.spans.map(\.id) == [0xa, 0xb, 0xb, 0xc] && tree.spans[2].shared)
        #expect(tree.root == 0)
        #expect(tree.parent(of: 0) == nil && tree.parent(of: 1) == 0 && tree.parent(of: 2) == 1 && tree.parent(of: 3) == 2)
        #expect(tree.breadthFirst() == [0, 1, 2, 3])
    }

    /// A local span under a shared server on another endpoint falls back to the plain parent id (the client).
    @Test func localSpanOnOtherEndpointHangsUnderClient() {
        var trace = Z.trace
        trace[0].localEndpoint = Endpoint(serviceName: "elsewhere")  // span c, parent b
        let tree = SpanNodeTree(trace: trace)
        #expect(tree.parent(of: 3) == 1)
        #expect(Array(tree.children(of: 1)) == [2, 3])
    }

    /// Siblings are visited earliest first; unknown timestamps (0) first, ties in id order.
    @Test func siblingsByTimestamp() {
        let trace: [Span] = [
            Z.span(trace: "1", id: "1"),
            Z.span(trace: "1", parent: "1", id: "2", timestampUs: 30),
            Z.span(trace: "1", parent: "1", id: "3", timestampUs: 10),
            Z.span(trace: "1", parent: "1", id: "4"),
            Z.span(trace: "1", parent: "1", id: "5"),
            Z.span(trace: "1", parent: "3", id: "6", timestampUs: 5),
        ]
        let tree = SpanNodeTree(trace: trace)
        #expect(tree.breadthFirst().map { tree.spans[$0].id } == [1, 4, 5, 3, 2, 6])
    }

    /// With no root, spans hang under a synthetic root; the first span without a parent id is the root
    /// and later ones hang under it.
    @Test func headlessAndSecondRoot() {
        let headless = SpanNodeTree(trace: [Z.span(trace: "1", parent: "9", id: "2"), Z.span(trace: "1", parent: "9", id: "3")])
        #expect(headless.root == nil && headless.breadthFirst() == [0, 1] && headless.parent(of: 1) == nil)

        let twoRoots = SpanNodeTree(trace: [Z.span(trace: "1", id: "1"), Z.span(trace: "1", id: "2")])
        #expect(twoRoots.root == 0 && twoRoots.parent(of: 1) == 0)
        #expect(SpanNodeTree(trace: []).breadthFirst() == [])
    }

    /// Spans whose parents form a cycle cannot be reached and are not visited (nor looped over).
    @Test func parentCycleIsUnreachable() {
        let tree = SpanNodeTree(trace: [
            Z.span(trace: "1", id: "1"), Z.span(trace: "1", parent: "3", id: "2"), Z.span(trace: "1", parent: "2", id: "3"),
        ])
        #expect(tree.breadthFirst() == [0])
    }

    /// A long chain of local spans links in linear time (the nearest remote ancestor is carried down).
    @Test func deepChain() {
        var trace = [Z.span(trace: "1", id: "1", kind: .server, local: Endpoint(serviceName: "web"))]
        for i in 2...5000 {
            let local = Endpoint(serviceName: "web")
            trace.append(Z.span(trace: "1", parent: String(i - 1, radix: 16), id: String(i, radix: 16), local: local))
        }
        trace.append(Z.span(trace: "1", parent: String(5000, radix: 16), id: "ffff", kind: .client, local: Endpoint(serviceName: "app")))
        #expect(Z.links(trace) == [Z.link("web", "app", 1)])
    }
}
