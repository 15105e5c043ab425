import Foundation
import Testing

/// Zipkin's `ITDependencies` (reference B.7): `/api/v2/dependencies` after posting, with Zipkin's
/// `DependencyLinker` rules. Links are compared among those naming the case's suffixed services.
@Suite(.serialized, .sharedDaemon())
struct ZipkinITDependenciesTests {
    typealias T = TestObjects
    typealias Span = ZipkinSpan

    /// Services `frontend`, `backend`, `db`, `kafka` with the case's suffix.
    struct Services {
        let frontend, backend, db, kafka: ZipkinEndpoint
        init(_ suffix: String) {
            frontend = T.FRONTEND.suffixed(suffix)
            backend = T.BACKEND.suffixed(suffix)
            db = T.DB.suffixed(suffix)
            kafka = T.KAFKA.suffixed(suffix)
        }
        func link(_ parent: ZipkinEndpoint, _ child: ZipkinEndpoint, calls: Int64 = 1, errors: Int64 = 0) -> ZipkinLink {
            ZipkinLink(parent: parent.serviceName!, child: child.serviceName!, callCount: calls, errorCount: errors)
        }
    }

    static func ms(_ offset: Int64) -> Int64 { (T.TODAY + offset) * 1000 }

    /// Posts `trace`, then checks `expected` with the daemon's head, after flush and (optionally) after restart.
    func expect(
        _ c: ZipkinCase, posting traces: [[Span]], endTs: Int64, lookback: Int64 = T.DAY, _ expected: [ZipkinLink], restart: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for trace in traces { try c.accept(trace) }
        try c.inEveryPhase(restart: restart) { try c.expectLinks(endTs: endTs, lookback: lookback, expected, sourceLocation: sourceLocation) }
    }

    @Test func getDependencies() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace], endTs: T.endTs(trace), T.links(c.suffix), restart: true)
    }

    /// Linking groups by the lower 64 bits, so 64-bit and 128-bit instrumentation share a trace.
    @Test func getDependencies_linksMixedTraceId() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(traceId: traceId, id: "1", kind: .SERVER, name: "get", timestamp: Self.ms(0), duration: 350_000, localEndpoint: s.frontend),
            Span(
                traceId: T.lower64(traceId), parentId: "1", id: "2", kind: .SERVER, name: "get", timestamp: Self.ms(100), duration: 250_000,
                localEndpoint: s.backend, shared: true),
            Span(traceId: traceId, parentId: "1", id: "2", kind: .CLIENT, timestamp: Self.ms(50), duration: 300_000, localEndpoint: s.frontend),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.backend)])
    }

    /// Posting the same trace twice must not double the counts.
    @Test func replayOverwrites() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace, trace], endTs: T.endTs(trace), T.links(c.suffix), restart: true)
    }

    /// Needs an empty daemon: the window covers today's data of every other case.
    @Test func empty() throws {
        let c = try ZipkinCase(freshDaemon: [])
        try c.inEveryPhase {
            let links = try c.dependencies(endTs: T.TODAY, lookback: T.DAY)
            #expect(links == [], "[\(c.phase)]")
        }
    }

    @Test func getDependenciesAllInstrumented() throws {
        let c = try ZipkinCase()
        let traceId = T.newTraceId()
        let one = ZipkinEndpoint(serviceName: T.appendSuffix("frontend", c.suffix), ipv4: "127.0.0.1")
        let two = ZipkinEndpoint(serviceName: T.appendSuffix("backend", c.suffix), ipv4: "127.0.0.2")
        let three = ZipkinEndpoint(serviceName: T.appendSuffix("db", c.suffix), ipv4: "127.0.0.3")
        let trace = [
            Span(traceId: traceId, id: "10", kind: .SERVER, name: "get", timestamp: Self.ms(0), duration: 350_000, localEndpoint: one),
            Span(
                traceId: traceId, parentId: "10", id: "20", kind: .CLIENT, name: "get", timestamp: Self.ms(50), duration: 250_000,
                localEndpoint: one.with { $0.port = 3001 }),
            Span(
                traceId: traceId, parentId: "10", id: "20", kind: .SERVER, name: "get", timestamp: Self.ms(100), duration: 150_000,
                localEndpoint: two, shared: true),
            Span(
                traceId: traceId, parentId: "20", id: "30", kind: .CLIENT, name: "query", timestamp: Self.ms(150), duration: 50_000,
                localEndpoint: two.with { $0.port = 3002 }),
            Span(
                traceId: traceId, parentId: "20", id: "30", kind: .SERVER, name: "query", timestamp: Self.ms(160), duration: 20_000,
                localEndpoint: three, shared: true),
        ]
        let link = { (p: ZipkinEndpoint, ch: ZipkinEndpoint) in ZipkinLink(parent: p.serviceName!, child: ch.serviceName!, callCount: 1) }
        try expect(c, posting: [trace], endTs: T.endTs(trace), [link(one, two), link(two, three)])
    }

    @Test func dependencies_loopback() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        let loopback = [trace[0], trace[1].with { $0.remoteEndpoint = trace[0].localEndpoint }]
        let frontend = trace[0].localEndpoint!
        try expect(c, posting: [loopback], endTs: T.endTs(trace), [Services(c.suffix).link(frontend, frontend)])
    }

    /// No span whose id is the trace id: the root is missing.
    @Test func dependencies_headlessTrace() throws {
        let c = try ZipkinCase()
        let trace = Array(T.newTrace(c.suffix).dropFirst())
        try expect(c, posting: [trace], endTs: T.endTs(trace), T.links(c.suffix))
    }

    @Test func looksBackIndefinitely() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace], endTs: T.endTs(trace), T.links(c.suffix))
    }

    /// Complete traces are linked even when they end after `endTs`.
    @Test func endTsInsideTheTrace() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace], endTs: T.startTs(trace) + 100, lookback: 200, T.links(c.suffix))
    }

    @Test func endTimeBeforeData() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace], endTs: T.startTs(trace) - 1000, lookback: 1000, [])
    }

    @Test func lookbackAfterData() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try expect(c, posting: [trace], endTs: T.TODAY + 2 * T.DAY, lookback: T.DAY, [])
    }

    /// An uninstrumented client before the trace (kafka) and an uninstrumented server at its end (db).
    @Test func notInstrumentedClientAndServer() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(
                traceId: traceId, id: "20", kind: .SERVER, name: "get", timestamp: Self.ms(0), duration: 350_000, localEndpoint: s.frontend,
                remoteEndpoint: s.kafka),
            Span(traceId: traceId, parentId: "20", id: "21", kind: .CLIENT, name: "get", timestamp: Self.ms(50), duration: 250_000, localEndpoint: s.frontend),
            Span(
                traceId: traceId, parentId: "20", id: "21", kind: .SERVER, name: "get", timestamp: Self.ms(250), duration: 50_000,
                localEndpoint: s.backend, shared: true),
            Span(
                traceId: traceId, parentId: "21", id: "22", kind: .CLIENT, name: "get", timestamp: Self.ms(150), duration: 50_000,
                localEndpoint: s.backend, remoteEndpoint: s.db),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.kafka, s.frontend), s.link(s.frontend, s.backend), s.link(s.backend, s.db)])
    }

    @Test func endTsAndLookbackMustBePositive() throws {
        let c = try ZipkinCase()
        let zeroEnd = try TestHTTP.get(c.port, "/api/v2/dependencies?endTs=0&lookback=\(T.DAY)")
        #expect(zeroEnd.status == 400 && zeroEnd.message == "endTs <= 0", "\(zeroEnd.status) \(zeroEnd.text)")
        let zeroLookback = try TestHTTP.get(c.port, "/api/v2/dependencies?endTs=\(T.TODAY)&lookback=0")
        #expect(zeroLookback.status == 400 && zeroLookback.message == "lookback <= 0", "\(zeroLookback.status) \(zeroLookback.text)")
    }

    @Test func instrumentedClientAndServer() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(traceId: traceId, id: "10", kind: .CLIENT, name: "get", timestamp: Self.ms(50), duration: 250_000, localEndpoint: s.frontend),
            Span(
                traceId: traceId, id: "10", kind: .SERVER, name: "get", timestamp: Self.ms(100), duration: 150_000, localEndpoint: s.backend,
                shared: true),
            Span(
                traceId: traceId, parentId: "10", id: "11", kind: .CLIENT, name: "get", timestamp: Self.ms(150), duration: 50_000,
                localEndpoint: s.backend, remoteEndpoint: s.db),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.backend), s.link(s.backend, s.db)])
    }

    /// Messaging links go through the broker, never producer → consumer.
    @Test func instrumentedProducerAndConsumer() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(
                traceId: traceId, id: "10", kind: .PRODUCER, name: "send", timestamp: Self.ms(50), duration: 1, localEndpoint: s.frontend,
                remoteEndpoint: s.kafka),
            Span(
                traceId: traceId, parentId: "10", id: "11", kind: .CONSUMER, name: "receive", timestamp: Self.ms(100), duration: 1,
                localEndpoint: s.backend, remoteEndpoint: s.kafka),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.kafka), s.link(s.kafka, s.backend)])
    }

    /// A missing parent still links when the local endpoint changes.
    @Test func missingIntermediateSpan() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(traceId: traceId, id: "20", kind: .SERVER, name: "get", timestamp: Self.ms(0), duration: 350_000, localEndpoint: s.frontend),
            Span(traceId: traceId, parentId: "21", id: "22", kind: .CLIENT, name: "get", timestamp: Self.ms(150), duration: 50_000, localEndpoint: s.backend),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.backend)])
    }

    /// `subtractDay`: the trace a day earlier under a new 64-bit trace id; annotations gain a shifted copy.
    static func subtractDay(_ trace: [Span]) -> [Span] {
        let traceId = T.hex(UInt64.random(in: 1...UInt64.max))
        return trace.map { span in
            span.with {
                $0.traceId = traceId
                if let timestamp = span.timestamp { $0.timestamp = timestamp - T.DAY * 1000 }
                $0.annotations += span.annotations.map { ZipkinAnnotation(timestamp: $0.timestamp - T.DAY * 1000, value: $0.value) }
                $0.annotations.sort { ($0.timestamp, $0.value) < ($1.timestamp, $1.value) }
            }
        }
    }

    /// Links can be asked for at daily granularity, and summed over days.
    @Test func canSearchForIntervalsBesidesToday() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix)
        let trace = T.newTrace(c.suffix)
        let yesterday = Self.subtractDay(trace)
        try c.accept(yesterday)
        try c.accept(trace)
        try c.inEveryPhase(restart: true) {
            try c.expectLinks(endTs: T.endTs(trace), lookback: trace[0].duration! / 1000, T.links(c.suffix))
            try c.expectLinks(endTs: T.endTs(trace) - T.DAY, lookback: T.DAY, T.links(c.suffix))
            try c.expectLinks(
                endTs: T.endTs(trace), lookback: 2 * T.DAY, [s.link(s.frontend, s.backend, calls: 2), s.link(s.backend, s.db, calls: 2, errors: 2)])
        }
    }

    /// `spanKindIsNotRequiredWhenEndpointsArePresent` and `unnamedEndpointsAreSkipped`: a kind-less chain.
    static func kindlessChain(_ suffix: String, root: ZipkinEndpoint) -> [Span] {
        let s = Services(suffix), traceId = T.newTraceId()
        return [
            Span(traceId: traceId, id: "20", name: "get", timestamp: ms(0), duration: 350_000, localEndpoint: root, remoteEndpoint: s.frontend),
            Span(
                traceId: traceId, parentId: "20", id: "21", name: "get", timestamp: ms(50), duration: 250_000, localEndpoint: s.frontend,
                remoteEndpoint: s.backend),
            Span(
                traceId: traceId, parentId: "21", id: "22", name: "get", timestamp: ms(150), duration: 50_000, localEndpoint: s.backend,
                remoteEndpoint: s.db),
        ]
    }

    @Test func spanKindIsNotRequiredWhenEndpointsArePresent() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix)
        try expect(
            c, posting: [Self.kindlessChain(c.suffix, root: s.kafka)], endTs: T.TODAY + 1000, lookback: 1000,
            [s.link(s.kafka, s.frontend), s.link(s.frontend, s.backend), s.link(s.backend, s.db)])
    }

    @Test func unnamedEndpointsAreSkipped() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix)
        try expect(
            c, posting: [Self.kindlessChain(c.suffix, root: ZipkinEndpoint(ipv4: "172.17.0.4"))], endTs: T.TODAY + 1000, lookback: 1000,
            [s.link(s.frontend, s.backend), s.link(s.backend, s.db)])
    }

    /// Local spans between the server and the next client do not break the chain.
    @Test func intermediateSpans() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(traceId: traceId, id: "20", kind: .SERVER, name: "get", timestamp: Self.ms(0), duration: 350_000, localEndpoint: s.frontend),
            Span(traceId: traceId, parentId: "20", id: "21", name: "call", timestamp: Self.ms(25), duration: 325_000, localEndpoint: s.frontend),
            Span(traceId: traceId, parentId: "21", id: "22", kind: .CLIENT, name: "get", timestamp: Self.ms(50), duration: 250_000, localEndpoint: s.frontend),
            Span(
                traceId: traceId, parentId: "21", id: "22", kind: .SERVER, name: "get", timestamp: Self.ms(100), duration: 150_000,
                localEndpoint: s.backend, shared: true),
            Span(traceId: traceId, parentId: "22", id: "17", name: "depth4", timestamp: Self.ms(110), duration: 130_000, localEndpoint: s.backend),
            Span(traceId: traceId, parentId: "17", id: "18", name: "depth5", timestamp: Self.ms(125), duration: 105_000, localEndpoint: s.backend),
            Span(
                traceId: traceId, parentId: "18", id: "19", kind: .CLIENT, name: "get", timestamp: Self.ms(150), duration: 50_000,
                localEndpoint: s.backend, remoteEndpoint: s.db),
        ]
        try expect(c, posting: [trace], endTs: T.TODAY + 1000, lookback: 1000, [s.link(s.frontend, s.backend), s.link(s.backend, s.db)])
    }

    /// v1 input through `/api/v1/spans`: a server whose `ca` and `sa` are both itself.
    @Test func duplicateAddress() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let frontend = ZipkinV1.endpoint(s.frontend), backend = ZipkinV1.endpoint(s.backend)
        let body = "[" + [
            ZipkinV1.span(
                traceId: traceId, id: "0000000000000020", name: "get", timestamp: Self.ms(0), duration: 350_000,
                annotations: [(Self.ms(0), "sr", frontend), (Self.ms(350), "ss", frontend)], addresses: [("ca", frontend), ("sa", frontend)]),
            ZipkinV1.span(
                traceId: traceId, parentId: "0000000000000021", id: "0000000000000022", name: "get", timestamp: Self.ms(50), duration: 250_000,
                annotations: [(Self.ms(50), "cs", frontend), (Self.ms(300), "cr", frontend)], addresses: [("ca", backend), ("sa", backend)]),
        ].joined(separator: ",") + "]"
        let posted = try TestHTTP.post(c.port, "/api/v1/spans", json: body)
        #expect(posted.status == 202, "\(posted.status) \(posted.text)")
        try c.inEveryPhase { try c.expectLinks(endTs: T.TODAY + 1000, lookback: 1000, [s.link(s.frontend, s.backend)]) }
    }

    /// A one-way call: client and server each only record a start.
    static func oneway(_ s: Services, serverAnnotations: [ZipkinAnnotation] = []) -> [Span] {
        let traceId = T.newTraceId()
        return [
            Span(traceId: traceId, id: "10", kind: .CLIENT, timestamp: ms(50), localEndpoint: s.frontend),
            Span(traceId: traceId, id: "10", kind: .SERVER, timestamp: ms(100), localEndpoint: s.backend, annotations: serverAnnotations, shared: true),
        ]
    }

    @Test func oneway() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), trace = Self.oneway(s)
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.backend)])
    }

    /// An annotation named `error` is not a failed span; only a tag is.
    @Test func annotationNamedErrorIsntError() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix)
        let trace = Self.oneway(s, serverAnnotations: [ZipkinAnnotation(timestamp: Self.ms(72), value: "error")])
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.frontend, s.backend)])
    }

    /// An async span from an uninstrumented source.
    @Test func oneway_noClient() throws {
        let c = try ZipkinCase()
        let s = Services(c.suffix), traceId = T.newTraceId()
        let trace = [
            Span(
                traceId: traceId, id: "10", kind: .SERVER, name: "receive", timestamp: Self.ms(0), localEndpoint: s.backend,
                remoteEndpoint: s.kafka),
            Span(traceId: traceId, parentId: "10", id: "11", name: "process", timestamp: Self.ms(25), duration: 325_000, localEndpoint: s.backend),
        ]
        try expect(c, posting: [trace], endTs: T.endTs(trace), [s.link(s.kafka, s.backend)])
    }
}

extension ZipkinEndpoint {
    func with(_ change: (inout ZipkinEndpoint) -> Void) -> ZipkinEndpoint {
        var copy = self
        change(&copy)
        return copy
    }
}

extension HTTPResult {
    /// The text body without one trailing newline: zipkin-server's messages have none, Pharos ends its
    /// text bodies with one.
    var message: String { text.hasSuffix("\n") ? String(text.dropLast()) : text }
}
