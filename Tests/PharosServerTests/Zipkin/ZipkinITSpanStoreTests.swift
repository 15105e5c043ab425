import Foundation
import Testing

/// Zipkin's `ITSpanStore` (part 1: cases 1–18 of reference B.1) over `/api/v2/traces` of the real daemon.
/// `consumer_implementsCall_execute/submit` exercise Java's `Call` API; their HTTP analogue (POST, then GET
/// returns the span) is `consumerAcceptsAndReturnsTheSpan`.
@Suite(.serialized, .sharedDaemon())
struct ZipkinITSpanStoreTests {
    typealias T = TestObjects

    /// Zipkin's `allShouldWorkWhenEmpty` queries; also run after `allShouldWorkWhenNoIndexableDataYet` posts.
    static func expectAllEmpty(_ c: ZipkinCase) throws {
        var q = TracesQuery.defaults.with { $0.serviceName = "service" }
        try c.expectNoTraces(q)
        q.remoteServiceName = "remotey"
        try c.expectNoTraces(q)
        q.spanName = "methodcall"
        try c.expectNoTraces(q)
        q.annotationQuery = "custom"
        try c.expectNoTraces(q)
        q.annotationQuery = "BAH=BEH"
        try c.expectNoTraces(q)
    }

    @Test func allShouldWorkWhenEmpty() throws {
        let c = try ZipkinCase()
        try c.inEveryPhase { try Self.expectAllEmpty(c) }
    }

    @Test func allShouldWorkWhenNoIndexableDataYet() throws {
        let c = try ZipkinCase()
        try c.accept(ZipkinSpan(traceId: T.newTraceId(), id: "1"))
        try c.inEveryPhase { try Self.expectAllEmpty(c) }
    }

    @Test func consumerAcceptsAndReturnsTheSpan() throws {
        let c = try ZipkinCase()
        let span = T.spanBuilder(c.suffix)
        try c.expectTrace(span.traceId, [])
        try c.accept(span)
        try c.inEveryPhase { try c.expectTrace(span.traceId, [span]) }
    }

    @Test func getTraces_groupsTracesTogether() throws {
        let c = try ZipkinCase()
        let a1 = T.spanBuilder(c.suffix).with { $0.timestamp = (T.TODAY + 1) * 1000 }
        let a2 = a1.with {
            $0.id = "2"
            $0.timestamp = (T.TODAY + 2) * 1000
        }
        let traceId2 = T.newTraceId()
        let b1 = a1.with { $0.traceId = traceId2 }
        let b2 = a2.with { $0.traceId = traceId2 }
        try c.accept(a1, b1, a2, b2)
        try c.inEveryPhase(restart: true) { try c.expectTraces(.defaults, [[a1, a2], [b1, b2]]) }
    }

    @Test func getTraces_considersBitsAbove64bit() throws {
        let c = try ZipkinCase()
        let traceId = T.newTraceId()
        let frontend = T.FRONTEND.suffixed(c.suffix)
        let span1 = ZipkinSpan(traceId: T.lower64(traceId), id: "1", timestamp: T.TODAY * 1000, localEndpoint: frontend, tags: ["foo": "1"])
        let span2 = span1.with {
            $0.traceId = traceId
            $0.tags["foo"] = "2"
        }
        let span3 = span1.with {
            $0.traceId = "1" + span1.traceId
            $0.tags["foo"] = "3"
        }
        try c.accept(span1, span2, span3)
        try c.inEveryPhase {
            for span in [span1, span2, span3] {
                let q = TracesQuery.defaults.with {
                    $0.serviceName = frontend.serviceName
                    $0.annotationQuery = "foo=" + span.tags["foo"]!
                }
                try c.expectTraces(q, [[span]])
            }
        }
    }

    /// Needs an otherwise empty daemon: it counts every trace of the default query and uses `limit`.
    @Test func getTraces_filteringMatchesMostRecentTraces() throws {
        let c = try ZipkinCase(freshDaemon: [])
        let endpoints = (1...10).map { ZipkinEndpoint(serviceName: T.appendSuffix("service\($0)", c.suffix), ipv4: "127.0.0.1") }
        let early = (1...10).map { i in
            ZipkinSpan(
                traceId: T.newTraceId(), id: String(i, radix: 16), name: "early", timestamp: (T.TODAY - Int64(i)) * 1000, duration: 1,
                localEndpoint: endpoints[i - 1])
        }
        let late = (1...10).map { i in
            ZipkinSpan(
                traceId: T.newTraceId(), id: String(i + 10, radix: 16), name: "late", timestamp: (T.TODAY + 100 - Int64(i)) * 1000,
                duration: 1, localEndpoint: endpoints[i - 1])
        }
        try c.accept(early)
        try c.accept(late)
        try c.inEveryPhase {
            #expect(try c.getTraces(.defaults).count == 20, "[\(c.phase)]")
            try c.expectTraces(.defaults.with { $0.limit = 10 }, late.map { [$0] })
            try c.expectTraces(.defaults.with { $0.endTs = T.TODAY + 100; $0.lookback = 100 }, late.map { [$0] })
            try c.expectTraces(.defaults.with { $0.endTs = T.TODAY }, early.map { [$0] })
        }
    }

    /// `getTraces_serviceNames(Span)`: shared by the plain and the mixed-trace-id-length case.
    static func expectServiceNames(_ c: ZipkinCase, _ clientSpan: ZipkinSpan) throws {
        let local = clientSpan.localServiceName!, remote = clientSpan.remoteServiceName!
        try c.expectNoTraces(.defaults.with { $0.serviceName = local + "1" })
        try c.expectTraces(.defaults.with { $0.serviceName = local }, [[clientSpan]])
        try c.expectNoTraces(.defaults.with { $0.serviceName = local; $0.remoteServiceName = remote + "1" })
        try c.expectTraces(.defaults.with { $0.serviceName = local; $0.remoteServiceName = remote }, [[clientSpan]])
    }

    @Test func getTraces_serviceNames() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        try c.inEveryPhase { try Self.expectServiceNames(c, clientSpan) }
    }

    @Test func getTraces_serviceNames_mixedTraceIdLength() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(
            T.spanBuilder(c.suffix).with {
                $0.traceId = T.lower64(clientSpan.traceId)
                $0.localEndpoint = ZipkinEndpoint(serviceName: T.appendSuffix("foo", c.suffix))
                $0.remoteEndpoint = ZipkinEndpoint(serviceName: T.appendSuffix("bar", c.suffix))
            })
        try c.accept(clientSpan)
        try c.inEveryPhase { try Self.expectServiceNames(c, clientSpan) }
    }

    static func expectSpanName(_ c: ZipkinCase, _ clientSpan: ZipkinSpan) throws {
        let local = clientSpan.localServiceName!, name = clientSpan.name!
        try c.expectNoTraces(.defaults.with { $0.spanName = name + "1" })
        try c.expectNoTraces(.defaults.with { $0.serviceName = local; $0.spanName = name + "1" })
        try c.expectTraces(.defaults.with { $0.spanName = name }, [[clientSpan]])
        try c.expectTraces(.defaults.with { $0.serviceName = local; $0.spanName = name }, [[clientSpan]])
    }

    @Test func getTraces_spanName() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        try c.inEveryPhase { try Self.expectSpanName(c, clientSpan) }
    }

    @Test func getTraces_spanName_mixedTraceIdLength() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan.with { $0.traceId = T.lower64(clientSpan.traceId); $0.name = "bar" })
        try c.accept(clientSpan)
        try c.inEveryPhase { try Self.expectSpanName(c, clientSpan) }
    }

    @Test func getTraces_tags() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        try c.inEveryPhase {
            try c.expectNoTraces(.defaults.with { $0.annotationQuery = "foo=bar" })
            try c.expectTraces(.defaults.with { $0.annotationQuery = TracesQuery.annotationQuery(clientSpan.tags) }, [[clientSpan]])
        }
    }

    @Test func getTraces_minDuration() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        try c.inEveryPhase {
            try c.expectNoTraces(.defaults.with { $0.minDuration = clientSpan.duration! + 1 })
            try c.expectTraces(.defaults.with { $0.minDuration = clientSpan.duration! }, [[clientSpan]])
        }
    }

    /// A late update of only timestamp and duration: both fragments come back, raw.
    @Test func getTraces_lateDuration() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        let missingDuration = clientSpan.with { $0.duration = nil }
        let lateDuration = ZipkinSpan(
            traceId: clientSpan.traceId, id: clientSpan.id, timestamp: clientSpan.timestamp, duration: clientSpan.duration,
            localEndpoint: clientSpan.localEndpoint)
        try c.accept(missingDuration)
        try c.accept(lateDuration)
        try c.inEveryPhase {
            try c.expectNoTraces(.defaults.with { $0.minDuration = clientSpan.duration! + 1 })
            try c.expectTraces(.defaults.with { $0.minDuration = clientSpan.duration! }, [[lateDuration, missingDuration]])
        }
    }

    @Test func getTraces_maxDuration() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        let duration = clientSpan.duration!
        try c.inEveryPhase {
            try c.expectNoTraces(.defaults.with { $0.minDuration = duration - 2; $0.maxDuration = duration - 1 })
            try c.expectTraces(.defaults.with { $0.minDuration = duration; $0.maxDuration = duration }, [[clientSpan]])
        }
    }

    /// The skeletal span dependency linking uses; guards that an empty tag value survives.
    @Test func readback_minimalErrorSpan() throws {
        let c = try ZipkinCase()
        let serviceName = T.appendSuffix("isao01", c.suffix)
        let errorSpan = ZipkinSpan(
            traceId: T.newTraceId(), id: "1", kind: .CLIENT, timestamp: T.TODAY * 1000, localEndpoint: ZipkinEndpoint(serviceName: serviceName),
            tags: ["error": ""])
        try c.accept(errorSpan)
        try c.inEveryPhase(restart: true) {
            var q = TracesQuery.defaults.with { $0.serviceName = serviceName }
            try c.expectTraces(q, [[errorSpan]])
            q.annotationQuery = "error"
            try c.expectTraces(q, [[errorSpan]])
            q.annotationQuery = "error=1"
            try c.expectNoTraces(q)
            try c.expectTrace(errorSpan.traceId, [errorSpan])
        }
    }

    @Test func readsBackLargeValues() throws {
        let c = try ZipkinCase()
        let span = T.spanBuilder(c.suffix).with {
            $0.name = "big"
            $0.tags["a"] = String(repeating: "a", count: 1024)
        }
        try c.accept(span)
        try c.inEveryPhase {
            try c.expectTraces(.defaults, [[span]])
            try c.expectTrace(span.traceId, [span])
        }
    }

    /// JSON in a span name and a tag key that extends another with a dot, stored in two fragments.
    @Test func spanWithProblematicData() throws {
        let c = try ZipkinCase()
        let part1 = T.spanBuilder(c.suffix).with { $0.tags["http.path"] = "/api" }
        let json = #"{"foo":"bar"}"#
        let part2 = part1.with {
            $0.name = json
            $0.tags = ["http.path.morepath": "/api/api"]
        }
        try c.accept(part1)
        try c.accept(part2)
        try c.inEveryPhase(restart: true) {
            try c.expectTraces(.defaults.with { $0.serviceName = part1.localServiceName; $0.spanName = json }, [[part2, part1]])
            try c.expectTrace(part1.traceId, [part2, part1])
        }
    }
}
