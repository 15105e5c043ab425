import PharosCore
import Testing

/// Zipkin's `DependencyLinkerTest`, the messaging cases: producers and consumers link only to a broker.
@Suite("Dependency linker: messaging")
struct DependencyLinkerMessagingTests {
    @Test func messagingSpansDontLinkWithoutBroker_consumer() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", nil, false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", "kafka", false),
        ]
        #expect(Z.links(trace) == [Z.link("kafka", "consumer", 1)])
    }

    @Test func messagingSpansDontLinkWithoutBroker_producer() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", "kafka", false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("producer", "kafka", 1)])
    }

    @Test func messagingWithBroker_both_sides_same() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", "kafka", false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", "kafka", false),
        ]
        #expect(Z.links(trace) == [Z.link("producer", "kafka", 1), Z.link("kafka", "consumer", 1)])
    }

    @Test func messagingWithBroker_different() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", "kafka1", false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", "kafka2", false),
        ]
        #expect(Z.links(trace) == [Z.link("producer", "kafka1", 1), Z.link("kafka2", "consumer", 1)])
    }

    /// No direct link is assumed between producer and consumer.
    @Test func messagingWithoutBroker_noLinks() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", nil, false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", nil, false),
        ]
        #expect(Z.links(trace) == [])
    }

    /// A server under a producer span is really an RPC.
    @Test func producerLinksToServer_childSpan() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", nil, false),
            Z.linkerSpan("a", "a", "b", .server, "server", nil, false),
        ]
        #expect(Z.links(trace) == [Z.link("producer", "server", 1)])
    }

    /// Servers most often join a span rather than create a child; the same with a producer as the client.
    @Test func producerLinksToServer_sameSpan() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .producer, "producer", nil, false),
            Z.with(Z.linkerSpan("a", nil, "a", .server, "server", nil, false)) { $0.shared = true },
        ]
        #expect(Z.links(trace) == [Z.link("producer", "server", 1)])
    }

    /// A CLIENT may be used for historical reasons instead of PRODUCER: the consumer side is authoritative.
    @Test func clientDoesntLinkToConsumer_child() {
        let trace: [Span] = [
            Z.linkerSpan("a", nil, "a", .client, "client", nil, false),
            Z.linkerSpan("a", "a", "b", .consumer, "consumer", nil, false),
        ]
        #expect(Z.links(trace) == [])
    }
}
