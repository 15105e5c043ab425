import PharosCore
import Testing

/// Zipkin's `DependencyLinkerTest` merge cases, and the accumulator storage sums links with.
@Suite("Dependency links: merging")
struct DependencyLinkMergeTests {
    @Test func baseCase() {
        #expect(Z.links([]) == [])
        #expect(DependencyLinkAccumulator().links == [])
        #expect(DependencyLinkAccumulator().isEmpty)
    }

    @Test func merge() {
        let links = [Z.link("foo", "bar", 2, errors: 1), Z.link("foo", "bar", 2, errors: 2), Z.link("foo", "foo", 1)]
        #expect(DependencyLinker.merge(links) == [Z.link("foo", "bar", 4, errors: 3), Z.link("foo", "foo", 1)])
    }

    /// Upstream keeps first-seen order (client→server, client→client); Pharos sorts by parent then child.
    @Test func merge_error() {
        let links = [Z.link("client", "server", 2), Z.link("client", "server", 2), Z.link("client", "client", 1)]
        #expect(DependencyLinker.merge(links) == [Z.link("client", "client", 1), Z.link("client", "server", 4)])
    }

    /// Sorted in Java's `String.compareTo` order: upper case before lower case, a supplementary character
    /// (a surrogate pair in UTF-16) before U+E000…U+FFFF.
    @Test func accumulatorSortsByParentThenChildInJavaOrder() {
        var accumulator = DependencyLinkAccumulator()
        accumulator.add([Z.link("b", "a", 1), Z.link("a", "\u{FFFD}", 1), Z.link("a", "🙂", 1), Z.link("B", "z", 1)])
        accumulator.add(Z.link("a", "🙂", 2, errors: 1))
        #expect(
            accumulator.links == [
                Z.link("B", "z", 1), Z.link("a", "🙂", 3, errors: 1), Z.link("a", "\u{FFFD}", 1), Z.link("b", "a", 1),
            ])
    }

    /// A corrupt stored count must not trap the daemon: sums saturate.
    @Test func accumulatorSaturates() {
        var accumulator = DependencyLinkAccumulator()
        accumulator.add([Z.link("a", "b", .max - 1, errors: 5), Z.link("a", "b", 10, errors: 1)])
        #expect(accumulator.links == [Z.link("a", "b", .max, errors: 6)])
    }

    /// More distinct edges in one trace than the linear-search fast path holds still count exactly.
    @Test func manyEdgesInOneTrace() {
        var trace = [Z.linkerSpan("1", nil, "1", .server, "root", nil, false)]
        for i in 2...41 {
            let callee = "svc\(i % 20)"
            trace.append(Z.linkerSpan("1", "1", String(i, radix: 16), .client, "root", callee, i % 4 == 0))
        }
        let links = Z.links(trace)
        #expect(links.count == 20)
        #expect(links.first == Z.link("root", "svc2", 2))  // spans 2 and 22, first seen
        #expect(links[2] == Z.link("root", "svc4", 2, errors: 2))  // spans 4 and 24, both failed
        #expect(links.map(\.callCount).reduce(0, +) == 40)
        #expect(links.map(\.errorCount).reduce(0, +) == 10)
    }
}
