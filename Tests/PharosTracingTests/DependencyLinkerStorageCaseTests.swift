import PharosCore
import Testing

/// The cases of Zipkin's `ITDependencies` (acceptance §B.7) that are pure linking, run against the linker
/// directly so a storage or HTTP failure can be told apart from a linking one. Time windows are the
/// storage's job and are not exercised here; `duplicateAddress` needs the v1 converter (PharosIngest).
@Suite("Dependency linker: ITDependencies cases")
struct DependencyLinkerStorageCaseTests {
    static let today: Int64 = 1_767_225_600_000  // ms; any midnight works, only sibling order depends on it
    static let frontend = Endpoint(serviceName: "frontend", ipv4: Z.ipv4("127.0.0.1"))
    static let backend = Endpoint(serviceName: "backend", ipv4: Z.ipv4("192.168.99.101"), port: 9000)
    static let db = Endpoint(serviceName: "db", ipv6: IPv6Address(high: 0x2001_0db8_0000_0000, low: 0xc001), port: 3036)
    static let kafka = Endpoint(serviceName: "kafka")
    static let links = [Z.link("frontend", "backend", 1), Z.link("backend", "db", 1, errors: 1)]

    static func us(_ msAfterToday: Int64) -> Int64 { (today + msAfterToday) * 1000 }

    /// Zipkin's `TestObjects.TRACE`: frontend server → client → shared backend server → client to db (error).
    static let trace: [Span] = [
        Z.span(
            trace: "7180c278b62e8f6a216a2aea45d08fc9", id: "1", kind: .server, name: "get", timestampUs: us(0),
            durationUs: 350_000, local: frontend),
        Z.span(
            trace: "7180c278b62e8f6a216a2aea45d08fc9", parent: "1", id: "2", kind: .client, name: "get",
            timestampUs: us(50), durationUs: 200_000, local: frontend, remote: backend,
            annotations: [SpanAnnotation(timestampUs: us(100), value: "foo")],
            tags: [SpanTag(key: "clnt/finagle.version", value: "6.45.0"), SpanTag(key: "http.path", value: "/api")]),
        Z.span(
            trace: "7180c278b62e8f6a216a2aea45d08fc9", parent: "1", id: "2", kind: .server, name: "get",
            timestampUs: us(100), durationUs: 150_000, local: backend, shared: true),
        Z.span(
            trace: "7180c278b62e8f6a216a2aea45d08fc9", parent: "2", id: "3", kind: .client, name: "query",
            timestampUs: us(150), durationUs: 50_000, local: backend, remote: db,
            annotations: [SpanAnnotation(timestampUs: us(190), value: "⻩")], tags: [SpanTag(key: "error", value: "💩")]),
    ]

    @Test func getDependencies() {
        #expect(Z.links(Self.trace) == Self.links)
    }

    /// Linking ignores the high bits of the trace id, so 64-bit and 128-bit instrumentation share a trace.
    @Test func getDependencies_linksMixedTraceId() {
        let trace: [Span] = [
            Z.span(trace: "7180c278b62e8f6a216a2aea45d08fc9", id: "1", kind: .server, timestampUs: Self.us(0), local: Self.frontend),
            Z.span(
                trace: "216a2aea45d08fc9", parent: "1", id: "2", kind: .server, timestampUs: Self.us(100), local: Self.backend,
                shared: true),  // the server dropped the high bits
            Z.span(
                trace: "7180c278b62e8f6a216a2aea45d08fc9", parent: "1", id: "2", kind: .client, timestampUs: Self.us(50),
                local: Self.frontend),
        ]
        #expect(Z.links(trace) == [Z.link("frontend", "backend", 1)])
    }

    /// Re-reported spans merge, so replaying a trace does not double its counts.
    @Test func replayOverwrites() {
        #expect(Z.links(Self.trace + Self.trace) == Self.links)
    }

    @Test func traceIdIsOpaque() {
        let differentTraceId = Self.trace.map { span in
            Z.with(span) {
                $0.traceIdHigh = 0
                $0.traceIdLow = 0x123
                $0.traceIdIs128Bit = false
            }
        }
        #expect(Z.links(differentTraceId) == Self.links)
    }

    @Test func getDependenciesAllInstrumented() {
        let one = Endpoint(serviceName: "trace-producer-one", ipv4: Z.ipv4("127.0.0.1"))
        let two = Endpoint(serviceName: "trace-producer-two", ipv4: Z.ipv4("127.0.0.2"))
        let three = Endpoint(serviceName: "trace-producer-three", ipv4: Z.ipv4("127.0.0.3"))
        let trace: [Span] = [
            Z.span(trace: "10", id: "10", kind: .server, timestampUs: Self.us(0), local: one),
            Z.span(trace: "10", parent: "10", id: "20", kind: .client, timestampUs: Self.us(50), local: Z.endpoint(one, port: 3001)),
            Z.span(trace: "10", parent: "10", id: "20", kind: .server, timestampUs: Self.us(100), local: two, shared: true),
            Z.span(trace: "10", parent: "20", id: "30", kind: .client, timestampUs: Self.us(150), local: Z.endpoint(two, port: 3002)),
            Z.span(trace: "10", parent: "20", id: "30", kind: .server, timestampUs: Self.us(160), local: three, shared: true),
        ]
        #expect(
            Z.links(trace) == [
                Z.link("trace-producer-one", "trace-producer-two", 1), Z.link("trace-producer-two", "trace-producer-three", 1),
            ])
    }

    @Test func dependencies_loopback() {
        let trace = [Self.trace[0], Z.with(Self.trace[1]) { $0.remoteEndpoint = Self.frontend }]
        #expect(Z.links(trace) == [Z.link("frontend", "frontend", 1)])
    }

    /// Without the root span the trace still links.
    @Test func dependencies_headlessTrace() {
        #expect(Z.links(Array(Self.trace.dropFirst())) == Self.links)
    }

    /// An uninstrumented client before the trace and an uninstrumented server at its end.
    @Test func notInstrumentedClientAndServer() {
        let someClient = Endpoint(serviceName: "some-client", ipv4: Z.ipv4("172.17.0.4"))
        let trace: [Span] = [
            Z.span(trace: "20", id: "20", kind: .server, timestampUs: Self.us(0), local: Self.frontend, remote: someClient),
            Z.span(trace: "20", parent: "20", id: "21", kind: .client, timestampUs: Self.us(50), local: Self.frontend),
            Z.span(trace: "20", parent: "20", id: "21", kind: .server, timestampUs: Self.us(250), local: Self.backend, shared: true),
            Z.span(trace: "20", parent: "21", id: "22", kind: .client, timestampUs: Self.us(150), local: Self.backend, remote: Self.db),
        ]
        #expect(Z.links(trace) == [Z.link("some-client", "frontend", 1), Z.link("frontend", "backend", 1), Z.link("backend", "db", 1)])
    }

    @Test func instrumentedClientAndServer() {
        let trace: [Span] = [
            Z.span(trace: "10", id: "10", kind: .client, timestampUs: Self.us(50), local: Self.frontend),
            Z.span(trace: "10", id: "10", kind: .server, timestampUs: Self.us(100), local: Self.backend, shared: true),
            Z.span(trace: "10", parent: "10", id: "11", kind: .client, timestampUs: Self.us(150), local: Self.backend, remote: Self.db),
        ]
        #expect(Z.links(trace) == [Z.link("frontend", "backend", 1), Z.link("backend", "db", 1)])
    }

    @Test func instrumentedProducerAndConsumer() {
        let trace: [Span] = [
            Z.span(
                trace: "10", id: "10", kind: .producer, timestampUs: Self.us(50), durationUs: 1, local: Self.frontend,
                remote: Self.kafka),
            Z.span(
                trace: "10", parent: "10", id: "11", kind: .consumer, timestampUs: Self.us(100), durationUs: 1, local: Self.backend,
                remote: Self.kafka),
        ]
        #expect(Z.links(trace) == [Z.link("frontend", "kafka", 1), Z.link("kafka", "backend", 1)])
    }

    /// No hidden limit on the number of links (Elasticsearch's default of 10 once tripped this).
    @Test func manyLinks() {
        var accumulator = DependencyLinkAccumulator()
        for i in 1...1000 {
            let trace = String(i, radix: 16)
            let web = Z.endpoint(Self.frontend, serviceName: "web-\(i)")
            let app = Z.endpoint(Self.backend, serviceName: "app-\(i)")
            let db = Z.endpoint(Self.db, serviceName: "db-\(i)")
            accumulator.add(
                Z.links([
                    Z.span(trace: trace, id: "10", kind: .client, timestampUs: Self.us(50), local: web),
                    Z.span(trace: trace, id: "10", kind: .server, timestampUs: Self.us(100), local: app, shared: true),
                    Z.span(trace: trace, parent: "10", id: "11", kind: .client, timestampUs: Self.us(150), local: app, remote: db),
                ]))
        }
        let links = accumulator.links
        #expect(links.count == 2000)
        #expect(links.allSatisfy { $0.callCount == 1 && $0.errorCount == 0 })
        #expect(links.first == Z.link("app-1", "db-1", 1) && links.last == Z.link("web-999", "app-999", 1))
    }

    /// A missing parent still links when the local endpoint changes.
    @Test func missingIntermediateSpan() {
        let trace: [Span] = [
            Z.span(trace: "20", id: "20", kind: .server, timestampUs: Self.us(0), local: Self.frontend),
            Z.span(trace: "20", parent: "21", id: "22", kind: .client, timestampUs: Self.us(150), local: Self.backend),
        ]
        #expect(Z.links(trace) == [Z.link("frontend", "backend", 1)])
    }

    /// The same trace a day earlier under another trace id: the storage sums both days.
    @Test func canSearchForIntervalsBesidesToday() {
        let dayUs: Int64 = 86_400_000_000
        let yesterday = Self.trace.map { span in
            Z.with(span) {
                $0.traceIdHigh = 0
                $0.traceIdLow = 0x5eed
                $0.traceIdIs128Bit = false
                $0.timestampUs -= dayUs
                $0.annotations = $0.annotations.map { SpanAnnotation(timestampUs: $0.timestampUs - dayUs, value: $0.value) }
            }
        }
        #expect(Z.links(yesterday) == Self.links)
        #expect(
            DependencyLinker.merge(Z.links(yesterday) + Z.links(Self.trace)) == [
                Z.link("backend", "db", 2, errors: 2), Z.link("frontend", "backend", 2),
            ])
    }

    @Test func spanKindIsNotRequiredWhenEndpointsArePresent() {
        let someClient = Endpoint(serviceName: "some-client", ipv4: Z.ipv4("172.17.0.4"))
        #expect(
            Z.links(Self.kindlessChain(first: someClient)) == [
                Z.link("some-client", "frontend", 1), Z.link("frontend", "backend", 1), Z.link("backend", "db", 1),
            ])
    }

    /// No link ever names an empty service.
    @Test func unnamedEndpointsAreSkipped() {
        let unnamed = Endpoint(ipv4: Z.ipv4("172.17.0.4"))
        #expect(Z.links(Self.kindlessChain(first: unnamed)) == [Z.link("frontend", "backend", 1), Z.link("backend", "db", 1)])
    }

    static func kindlessChain(first: Endpoint) -> [Span] {
        [
            Z.span(trace: "20", id: "20", timestampUs: us(0), local: first, remote: frontend),
            Z.span(trace: "20", parent: "20", id: "21", timestampUs: us(50), local: frontend, remote: backend),
            Z.span(trace: "20", parent: "21", id: "22", timestampUs: us(150), local: backend, remote: db),
        ]
    }

    /// Local spans between a server and the next client, on both hosts.
    @Test func intermediateSpans() {
        let trace: [Span] = [
            Z.span(trace: "20", id: "20", kind: .server, timestampUs: Self.us(0), local: Self.frontend),
            Z.span(trace: "20", parent: "20", id: "21", name: "call", timestampUs: Self.us(25), local: Self.frontend),
            Z.span(trace: "20", parent: "21", id: "22", kind: .client, timestampUs: Self.us(50), local: Self.frontend),
            Z.span(trace: "20", parent: "21", id: "22", kind: .server, timestampUs: Self.us(100), local: Self.backend, shared: true),
            Z.span(trace: "20", parent: "22", id: "23", name: "depth4", timestampUs: Self.us(110), local: Self.backend),
            Z.span(trace: "20", parent: "23", id: "24", name: "depth5", timestampUs: Self.us(125), local: Self.backend),
            Z.span(trace: "20", parent: "24", id: "25", kind: .client, timestampUs: Self.us(150), local: Self.backend, remote: Self.db),
        ]
        #expect(Z.links(trace) == [Z.link("frontend", "backend", 1), Z.link("backend", "db", 1)])
    }

    /// A one-way RPC: neither side records a duration.
    @Test func oneway() {
        #expect(Z.links(Self.oneway(serverAnnotations: [])) == [Z.link("frontend", "backend", 1)])
    }

    /// A timeline annotation named error is not a failed span; a tag is.
    @Test func annotationNamedErrorIsntError() {
        let error = [SpanAnnotation(timestampUs: Self.us(72), value: "error")]
        #expect(Z.links(Self.oneway(serverAnnotations: error)) == [Z.link("frontend", "backend", 1)])
    }

    static func oneway(serverAnnotations: [SpanAnnotation]) -> [Span] {
        [
            Z.span(trace: "10", id: "10", kind: .client, timestampUs: us(50), local: frontend),
            Z.span(
                trace: "10", id: "10", kind: .server, timestampUs: us(100), local: backend, annotations: serverAnnotations,
                shared: true),
        ]
    }

    /// An asynchronous span started by an uninstrumented source.
    @Test func oneway_noClient() {
        let kafka = Endpoint(serviceName: "kafka", ipv4: Z.ipv4("172.17.0.4"))
        let trace: [Span] = [
            Z.span(trace: "10", id: "10", kind: .server, name: "receive", timestampUs: Self.us(0), local: Self.backend, remote: kafka),
            Z.span(
                trace: "10", parent: "10", id: "11", name: "process", timestampUs: Self.us(25), durationUs: 325_000,
                local: Self.backend),
        ]
        #expect(Z.links(trace) == [Z.link("kafka", "backend", 1)])
    }
}
