import Foundation
import Testing

/// Zipkin's `QueryRequestTest` (reference B.10) as HTTP cases: what `QueryRequest.test` and the builder's
/// parsing decide, observed through `/api/v2/traces`. Upstream's request is `endTs=TODAY&lookback=60&limit=10`
/// and its span a CONSUMER `receive` of `app` at midnight; each case posts its own traces.
@Suite(.serialized, .sharedDaemon())
struct ZipkinQueryRequestSemanticsTests {
    typealias T = TestObjects

    static let request = TracesQuery(endTs: T.TODAY, lookback: 60, limit: 10)

    static func span(_ c: ZipkinCase) -> ZipkinSpan {
        ZipkinSpan(
            traceId: T.newTraceId(), id: "10", kind: .CONSUMER, name: "receive", timestamp: T.TODAY * 1000,
            localEndpoint: ZipkinEndpoint(serviceName: T.appendSuffix("app", c.suffix)))
    }

    /// Posts each trace, then expects `request` to find exactly `matching` among them.
    func expect(
        _ c: ZipkinCase, _ request: TracesQuery, among traces: [[ZipkinSpan]], matching: [[ZipkinSpan]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for trace in traces { try c.accept(trace) }
        try c.inEveryPhase { try c.expectTraces(request, matching, sourceLocation: sourceLocation) }
    }

    @Test func test_matchesTimestamp() throws {
        let c = try ZipkinCase()
        let span = Self.span(c)
        try expect(c, Self.request, among: [[span]], matching: [[span]])
    }

    /// The root's timestamp decides even when the root is not the first span reported.
    @Test func test_rootSpanNotFirst() throws {
        let c = try ZipkinCase()
        let span = Self.span(c)
        let trace = [span.with { $0.id = "2"; $0.parentId = span.id; $0.timestamp = nil }, span]
        try expect(c, Self.request, among: [trace], matching: [trace])
    }

    /// Without a root, the earliest timestamp decides (the other is a day later, outside the window).
    @Test func test_noRootSpanLeastWins() throws {
        let c = try ZipkinCase()
        let span = Self.span(c)
        let trace = [
            span.with { $0.id = "2"; $0.parentId = span.id; $0.timestamp = span.timestamp! + T.DAY * 1000 },
            span.with { $0.id = "3"; $0.parentId = span.id },
        ]
        try expect(c, Self.request, among: [trace], matching: [trace])
    }

    @Test func test_noTimestamp() throws {
        let c = try ZipkinCase()
        try expect(c, Self.request, among: [[Self.span(c).with { $0.timestamp = nil }]], matching: [])
    }

    @Test func test_timestampPastLookback() throws {
        let c = try ZipkinCase()
        try expect(c, Self.request.with { $0.endTs = T.TODAY + 70 }, among: [[Self.span(c)]], matching: [])
    }

    @Test func test_wrongServiceName() throws {
        let c = try ZipkinCase()
        try expect(c, Self.request.with { $0.serviceName = T.appendSuffix("aloha", c.suffix) }, among: [[Self.span(c)]], matching: [])
    }

    @Test func test_spanName() throws {
        let c = try ZipkinCase()
        let span = Self.span(c), aloha = Self.span(c).with { $0.name = "aloha" }
        try expect(c, Self.request.with { $0.spanName = "aloha" }, among: [[span], [aloha]], matching: [[aloha]])
    }

    @Test func test_remoteServiceName() throws {
        let c = try ZipkinCase()
        let db = T.appendSuffix("db", c.suffix)
        let span = Self.span(c), toDb = Self.span(c).with { $0.remoteEndpoint = ZipkinEndpoint(serviceName: db) }
        try expect(c, Self.request.with { $0.remoteServiceName = db }, among: [[span], [toDb]], matching: [[toDb]])
    }

    /// Both bounds inclusive: 99 ✗, 100 ✓ for `minDuration=100`; 111 ✗ once `maxDuration=110`.
    @Test func test_minAndMaxDuration() throws {
        let c = try ZipkinCase()
        let spans = [99, 100, 111].map { duration in Self.span(c).with { $0.duration = Int64(duration) } }
        for span in spans { try c.accept(span) }
        try c.inEveryPhase {
            try c.expectTraces(Self.request.with { $0.minDuration = 100 }, [[spans[1]], [spans[2]]])
            try c.expectTraces(Self.request.with { $0.minDuration = 100; $0.maxDuration = 110 }, [[spans[1]]])
        }
    }

    /// Empty names and `spanName=all` mean "no condition".
    @Test func emptyNamesAndAllAreIgnored() throws {
        let c = try ZipkinCase()
        let span = Self.span(c)
        try c.accept(span)
        try c.inEveryPhase {
            for blank in [
                Self.request.with { $0.spanName = "all" }, Self.request.with { $0.spanName = "" },
                Self.request.with { $0.remoteServiceName = "" }, Self.request.with { $0.annotationQuery = "" },
            ] {
                try c.expectTraces(blank, [[span]])
            }
            let query = "/api/v2/traces?serviceName=&" + Self.request.queryString
            let found = try c.getJSON(query) as? [[Any]] ?? []
            #expect(try found.map { try $0.map(ZipkinJSON.span) }.contains([span]), "[\(c.phase)] \(query)")
        }
    }

    /// `annotationQueryTrimsSpaces`: terms split on ` and `, keys and values trimmed, bare terms may hold spaces.
    @Test func annotationQueryTrimsSpaces() throws {
        let c = try ZipkinCase()
        func span(_ annotations: [String], _ tags: [String: String]) -> ZipkinSpan {
            Self.span(c).with {
                $0.annotations = annotations.map { ZipkinAnnotation(timestamp: T.TODAY * 1000, value: $0) }.sorted { $0.value < $1.value }
                $0.tags = tags
            }
        }
        let foOBar = span(["fo", "o", "bar"], ["http.path": "/a"])
        let foOBarNoPath = span(["fo", "o", "bar"], [:])
        let lol = span(["L O L", "A B C"], ["http.path": "/a", "bar": "123"])
        for trace in [foOBar, foOBarNoPath, lol] { try c.accept(trace) }
        try c.inEveryPhase {
            for (query, expected) in [
                ("fo and o and bar and http.path = /a ", [foOBar]), (" http.path = /a   and fo and o   and bar", [foOBar]), ("L O L", [lol]),
                ("L O L and http.path = /a", [lol]), ("bar =123 and L O L and http.path = /a and A B C", [lol]),
            ] {
                try c.expectTraces(Self.request.with { $0.annotationQuery = query }, expected.map { [$0] })
            }
        }
    }

    /// A tag term beats a bare term with the same key; the last tag term wins.
    @Test func annotationQueryParameterSpecificity() throws {
        let c = try ZipkinCase()
        let tag123 = Self.span(c).with { $0.tags = ["a": "123"] }
        let annotationA = Self.span(c).with { $0.annotations = [ZipkinAnnotation(timestamp: T.TODAY * 1000, value: "a")] }
        let tag456 = Self.span(c).with { $0.tags = ["a": "456"] }
        for trace in [tag123, annotationA, tag456] { try c.accept(trace) }
        try c.inEveryPhase {
            for (query, expected) in [
                ("a=123 and a", [tag123]), ("a and a=123", [tag123]), ("a=123 and a=456", [tag456]), ("a and a=123 and a=456", [tag456]),
                ("a", [tag123, annotationA, tag456]),
            ] {
                try c.expectTraces(Self.request.with { $0.annotationQuery = query }, expected.map { [$0] })
            }
        }
    }

    /// `http.method=` keeps the key with an empty value, which matches the tag key whatever its value.
    @Test func annotationQuery_missingValue() throws {
        let c = try ZipkinCase()
        let get = Self.span(c).with { $0.tags = ["http.method": "GET"] }
        let none = Self.span(c)
        try expect(c, Self.request.with { $0.annotationQuery = "http.method=" }, among: [[get], [none]], matching: [[get]])
    }

    /// `annotationQuery_roundTrip` and the annotation/tag-key cases of `test_annotationQuery_*`.
    @Test func annotationQueryMatchesAnnotationsAndTagKeys() throws {
        let c = try ZipkinCase()
        func span(_ annotations: [String], baz: Bool) -> ZipkinSpan {
            Self.span(c).with {
                $0.annotations = annotations.map { ZipkinAnnotation(timestamp: T.TODAY * 1000, value: $0) }
                $0.tags = baz ? ["baz": "qux"] : [:]
            }
        }
        let foo = span(["foo"], baz: false), barAndFoo = span(["bar", "foo"], baz: false)
        let fooAndBazAndQux = span(["foo"], baz: true), barAndFooAndBazAndQux = span(["bar", "foo"], baz: true)
        let errorGet = Self.span(c).with { $0.tags = ["http.method": "GET", "error": ""] }
        for trace in [foo, barAndFoo, fooAndBazAndQux, barAndFooAndBazAndQux, errorGet] { try c.accept(trace) }
        try c.inEveryPhase {
            for (query, expected) in [
                ("baz", [fooAndBazAndQux, barAndFooAndBazAndQux]), ("foo", [foo, barAndFoo, fooAndBazAndQux, barAndFooAndBazAndQux]),
                ("foo and bar", [barAndFoo, barAndFooAndBazAndQux]), ("foo and bar and baz=qux", [barAndFooAndBazAndQux]),
                ("http.method=GET and error", [errorGet]),
            ] {
                try c.expectTraces(Self.request.with { $0.annotationQuery = query }, expected.map { [$0] })
            }
        }
    }
}
