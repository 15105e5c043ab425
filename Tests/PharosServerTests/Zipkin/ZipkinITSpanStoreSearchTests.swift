import Foundation
import Testing

/// Zipkin's `ITSpanStore` (part 2: cases 19–28 of reference B.1): durations, timestamps, annotations,
/// service scoping, limit and the time window of `/api/v2/traces`.
@Suite(.serialized, .sharedDaemon())
struct ZipkinITSpanStoreSearchTests {
    typealias T = TestObjects

    /// `setupDurationData`: three traces 3 ms before midnight, durations spread over three services.
    static func durationData(_ c: ZipkinCase) throws -> [[ZipkinSpan]] {
        let frontend = T.FRONTEND.suffixed(c.suffix), backend = T.BACKEND.suffixed(c.suffix), db = T.DB.suffixed(c.suffix)
        let traceId1 = T.newTraceId(), traceId2 = T.newTraceId(), traceId3 = T.newTraceId()
        let offset = (T.TODAY - 3) * 1000
        let targz = ZipkinSpan(
            traceId: traceId1, id: "1", name: "targz", timestamp: offset + 100, duration: 200_000, localEndpoint: frontend,
            remoteEndpoint: db, tags: ["lc": "archiver"])
        let tar = ZipkinSpan(
            traceId: traceId1, parentId: "1", id: "2", name: "tar", timestamp: offset + 200, duration: 150_000, localEndpoint: backend,
            remoteEndpoint: backend, tags: ["lc": "archiver"])
        let gz = ZipkinSpan(
            traceId: traceId1, parentId: "1", id: "3", name: "gz", timestamp: offset + 250, duration: 50_000, localEndpoint: db,
            remoteEndpoint: frontend, tags: ["lc": "archiver"])
        let zip = ZipkinSpan(
            traceId: traceId3, id: "3", name: "zip", timestamp: offset + 130, duration: 50_000, localEndpoint: backend,
            remoteEndpoint: backend, annotations: [ZipkinAnnotation(timestamp: offset + 130, value: "zip")], tags: ["lc": "archiver"])
        let trace1 = [targz, tar, gz]
        let trace2 = [
            targz.with {
                $0.traceId = traceId2
                $0.timestamp = offset + 110
                $0.localEndpoint = db
                $0.remoteEndpoint = frontend
                $0.tags["lc"] = "archiver-v2"
            },
            tar.with { $0.traceId = traceId2; $0.timestamp = offset + 210 },
            gz.with {
                $0.traceId = traceId2
                $0.timestamp = offset + 260
                $0.localEndpoint = frontend
                $0.remoteEndpoint = backend
            },
        ]
        try c.accept(trace1)
        try c.accept(trace2)
        try c.accept([zip])
        return [trace1, trace2, [zip]]
    }

    /// Duration bounds apply to any span of the service, not only the root. Parameters accumulate as in
    /// upstream, which reuses one builder.
    @Test func getTraces_duration() throws {
        let c = try ZipkinCase()
        let traces = try Self.durationData(c)
        let (trace1, trace2, trace3) = (traces[0], traces[1], traces[2])
        let frontend = T.appendSuffix("frontend", c.suffix), backend = T.appendSuffix("backend", c.suffix)
        try c.inEveryPhase {
            var q = TracesQuery.defaults.with { $0.endTs = T.TODAY; $0.lookback = T.DAY }
            q.serviceName = frontend
            q.minDuration = 200_000
            try c.expectTraces(q, [trace1])
            q.serviceName = T.appendSuffix("db", c.suffix)
            try c.expectTraces(q, [trace2])
            q.serviceName = backend
            q.minDuration = 50_000
            q.maxDuration = 150_000
            try c.expectTraces(q, [trace1, trace2, trace3])
            q.serviceName = frontend
            q.remoteServiceName = backend
            q.maxDuration = 50_000
            try c.expectTraces(q, [trace2])
            q.serviceName = backend
            q.spanName = "zip"
            try c.expectTraces(q, [trace3])
            q.minDuration = 50_000
            try c.expectTraces(q, [trace3])
        }
    }

    /// A trace with no timestamp at all never matches; once a timestamped fragment arrives, both come back.
    @Test func getTraces_absentWhenNoTimestamp() throws {
        let c = try ZipkinCase()
        let span = T.spanBuilder(c.suffix)
        let withoutTimestamp = span.with { $0.timestamp = nil; $0.duration = nil }
        let service = span.localServiceName
        try c.accept(withoutTimestamp)
        try c.inEveryPhase {
            try c.expectNoTraces(.defaults.with { $0.serviceName = service })
            try c.expectNoTraces(.defaults.with { $0.serviceName = service; $0.spanName = span.name })
        }
        try c.accept(span)
        try c.inEveryPhase {
            try c.expectTraces(.defaults.with { $0.serviceName = service }, [[withoutTimestamp, span]])
            try c.expectTraces(.defaults.with { $0.serviceName = service; $0.spanName = span.name }, [[withoutTimestamp, span]])
        }
    }

    @Test func getTraces_differentiatesDebugFromShared() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix).with { $0.debug = true }
        let serverSpan = clientSpan.with {
            $0.kind = .SERVER
            $0.debug = false
            $0.shared = true
        }
        try c.accept(clientSpan, serverSpan)
        try c.inEveryPhase(restart: true) { try c.expectTraces(.defaults, [[clientSpan, serverSpan]]) }
    }

    @Test func getTraces_annotation() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix).with { $0.annotations = [ZipkinAnnotation(timestamp: T.TODAY, value: "foo")] }
        try c.accept(clientSpan)
        try c.inEveryPhase {
            try c.expectTraces(.defaults.with { $0.serviceName = clientSpan.localServiceName; $0.annotationQuery = "foo" }, [[clientSpan]])
            try c.expectTraces(
                .defaults.with { $0.serviceName = clientSpan.localServiceName; $0.annotationQuery = "http.method=GET" }, [[clientSpan]])
        }
    }

    @Test func getTraces_multipleAnnotationsBecomeAndFilter() throws {
        let c = try ZipkinCase()
        let frontend = T.FRONTEND.suffixed(c.suffix)
        func span(_ n: Int64, _ annotations: [String], tags: [String: String] = [:]) -> ZipkinSpan {
            let us = (T.TODAY + n) * 1000
            return ZipkinSpan(
                traceId: T.newTraceId(), id: String(n), name: "call\(n)", timestamp: us, localEndpoint: frontend,
                annotations: annotations.map { ZipkinAnnotation(timestamp: us, value: $0) }, tags: tags)
        }
        let foo = span(1, ["foo"])
        let barAndFoo = span(2, ["bar", "foo"])
        let fooAndBazAndQux = span(3, ["foo"], tags: ["baz": "qux"])
        let barAndFooAndBazAndQux = span(4, ["bar", "foo"], tags: ["baz": "qux"])
        try c.accept(foo, barAndFoo, fooAndBazAndQux, barAndFooAndBazAndQux)
        try c.inEveryPhase {
            func q(_ annotationQuery: String) -> TracesQuery {
                .defaults.with { $0.serviceName = frontend.serviceName; $0.annotationQuery = annotationQuery }
            }
            try c.expectTraces(q("foo"), [[foo], [barAndFoo], [fooAndBazAndQux], [barAndFooAndBazAndQux]])
            try c.expectTraces(q("foo and bar"), [[barAndFoo], [barAndFooAndBazAndQux]])
            try c.expectTraces(q("foo and bar and baz=qux"), [[barAndFooAndBazAndQux]])
            try c.expectTraces(q("baz"), [[fooAndBazAndQux], [barAndFooAndBazAndQux]])
        }
    }

    /// Annotation and tag queries only match data recorded by the named service.
    @Test func getTraces_differentiateOnServiceName() throws {
        let c = try ZipkinCase()
        let frontend = T.FRONTEND.suffixed(c.suffix), backend = T.BACKEND.suffixed(c.suffix)
        let trace1 = ZipkinSpan(
            traceId: T.newTraceId(), id: "1", kind: .CLIENT, name: "1", timestamp: (T.TODAY + 1) * 1000, duration: 3000,
            localEndpoint: frontend, annotations: [ZipkinAnnotation(timestamp: (T.TODAY + 1) * 1000 + 500, value: "web")],
            tags: ["local": "web", "web-b": "web"])
        let trace1Server = ZipkinSpan(
            traceId: trace1.traceId, id: "1", kind: .SERVER, name: "1", timestamp: (T.TODAY + 2) * 1000, duration: 1000,
            localEndpoint: backend, shared: true)
        let trace2 = ZipkinSpan(
            traceId: T.newTraceId(), id: "2", kind: .CLIENT, name: "2", timestamp: (T.TODAY + 11) * 1000, duration: 3000,
            localEndpoint: backend, annotations: [ZipkinAnnotation(timestamp: (T.TODAY + 11) * 1000 + 500, value: "app")],
            tags: ["local": "app", "app-b": "app"])
        let trace2Server = ZipkinSpan(
            traceId: trace2.traceId, id: "2", kind: .SERVER, name: "2", timestamp: (T.TODAY + 12) * 1000, duration: 1000,
            localEndpoint: frontend, shared: true)
        try c.accept(trace1, trace1Server, trace2, trace2Server)
        try c.inEveryPhase(restart: true) {
            try c.expectTrace(trace1.traceId, [trace1, trace1Server])
            try c.expectTrace(trace2.traceId, [trace2, trace2Server])
            try c.expectTraces(.defaults, [[trace1, trace1Server], [trace2, trace2Server]])
            for (query, web, app) in [("web", true, false), ("app", false, true), ("web-b", true, false), ("app-b", false, true),
                ("local=web", true, false), ("local=app", false, true)]
            {
                let front = TracesQuery.defaults.with { $0.serviceName = frontend.serviceName; $0.annotationQuery = query }
                let back = TracesQuery.defaults.with { $0.serviceName = backend.serviceName; $0.annotationQuery = query }
                try c.expectTraces(front, web ? [[trace1, trace1Server]] : [])
                try c.expectTraces(back, app ? [[trace2, trace2Server]] : [])
            }
        }
    }

    /// `limit` keeps the traces nearest `endTs`.
    @Test func getTraces_limit() throws {
        let c = try ZipkinCase()
        let span1 = T.spanBuilder(c.suffix)
        let span2 = span1.with { $0.traceId = T.newTraceId(); $0.timestamp = (T.TODAY + 2) * 1000 }
        try c.accept(span1, span2)
        try c.inEveryPhase {
            try c.expectTraces(.defaults.with { $0.serviceName = span1.localServiceName; $0.limit = 1 }, [[span2]])
        }
    }

    /// Traces whose root timestamp lies in [endTs - lookback, endTs], both ends inclusive.
    @Test func getTraces_endTsAndLookback() throws {
        let c = try ZipkinCase()
        let span1 = T.spanBuilder(c.suffix).with { $0.timestamp = (T.TODAY + 1) * 1000 }
        let span2 = span1.with { $0.traceId = T.newTraceId(); $0.timestamp = (T.TODAY + 2) * 1000 }
        try c.accept(span1, span2)
        try c.inEveryPhase {
            func q(_ endTs: Int64, lookback: Int64? = nil) -> TracesQuery {
                .defaults.with { $0.endTs = T.TODAY + endTs; if let lookback { $0.lookback = lookback } }
            }
            try c.expectNoTraces(q(0))
            try c.expectTraces(q(1), [[span1]])
            try c.expectTraces(q(2), [[span1], [span2]])
            try c.expectTraces(q(3), [[span1], [span2]])
            try c.expectTraces(q(1, lookback: 1), [[span1]])
            try c.expectTraces(q(2, lookback: 1), [[span1], [span2]])
            try c.expectTraces(q(3, lookback: 1), [[span2]])
        }
    }

    @Test func names_goLowercase() throws {
        let c = try ZipkinCase()
        let clientSpan = T.newClientSpan(c.suffix)
        try c.accept(clientSpan)
        try c.inEveryPhase {
            let local = clientSpan.localServiceName
            try c.expectTraces(.defaults.with { $0.serviceName = local; $0.remoteServiceName = clientSpan.remoteServiceName!.uppercased() }, [[clientSpan]])
            try c.expectTraces(.defaults.with { $0.serviceName = local; $0.spanName = clientSpan.name!.uppercased() }, [[clientSpan]])
        }
    }

    /// A trace is complete even when it ends after `endTs`.
    @Test func getTraces_endTsInsideTheTrace() throws {
        let c = try ZipkinCase()
        let trace = T.newTrace(c.suffix)
        try c.accept(trace)
        try c.inEveryPhase {
            let lookback = trace[0].duration! / 1000
            try c.expectTraces(.defaults.with { $0.endTs = T.endTs(trace); $0.lookback = lookback }, [trace])
        }
    }
}
