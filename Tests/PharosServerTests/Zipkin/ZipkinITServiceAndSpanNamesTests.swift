import Foundation
import Testing

/// Zipkin's `ITServiceAndSpanNames` (reference B.3): `/services`, `/spans` and `/remoteServices`.
///
/// Upstream posts `CLIENT_SPAN` (frontend → backend, name `get`) into a cleared store. Here each case
/// suffixes the service names instead; the two cases about the global `/services` list get a fresh daemon.
@Suite(.serialized, .sharedDaemon())
struct ZipkinITServiceAndSpanNamesTests {
    typealias T = TestObjects

    static func clientSpan(_ c: ZipkinCase) -> ZipkinSpan { T.clientSpan(traceId: T.newTraceId(), suffix: c.suffix) }

    func expectNames(
        _ c: ZipkinCase, _ endpoint: String, _ serviceName: String?, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let path = "/api/v2/" + endpoint + (serviceName.map { "?serviceName=" + TracesQuery.escape($0) } ?? "")
        try c.expectStrings(path, expected, sourceLocation: sourceLocation)
    }

    @Test func getLocalServiceNames_includesLocalServiceName() throws {
        let c = try ZipkinCase(freshDaemon: [])
        try expectNames(c, "services", nil, [])
        try c.accept(T.clientSpan())
        try c.inEveryPhase(restart: true) { try expectNames(c, "services", nil, ["frontend"]) }
    }

    @Test func getLocalServiceNames_noServiceName() throws {
        let c = try ZipkinCase(freshDaemon: [])
        try c.accept(ZipkinSpan(traceId: "a", id: "a"))
        try c.inEveryPhase { try expectNames(c, "services", nil, []) }
    }

    @Test func getRemoteServiceNames() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        let frontend = span.localServiceName!
        try expectNames(c, "remoteServices", frontend, [])
        try c.accept(span)
        try c.inEveryPhase(restart: true) {
            try expectNames(c, "remoteServices", frontend + "1", [])
            try expectNames(c, "remoteServices", frontend, [span.remoteServiceName!])
        }
    }

    /// 50 names: no default store limit may cut the list.
    @Test func getRemoteServiceNames_allReturned() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        let names = (0..<50).map { String(format: "yak%02d", $0) }
        for (i, name) in names.enumerated() {
            try c.accept(span.with { $0.id = String(i + 1, radix: 16); $0.remoteEndpoint = ZipkinEndpoint(serviceName: name) })
        }
        try c.inEveryPhase { try expectNames(c, "remoteServices", span.localServiceName, names) }
    }

    @Test func getRemoteServiceNames_dedupes() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        for i in 1...50 { try c.accept(span.with { $0.id = String(i, radix: 16) }) }
        try c.inEveryPhase { try expectNames(c, "remoteServices", span.localServiceName, [span.remoteServiceName!]) }
    }

    @Test func getRemoteServiceNames_noRemoteServiceName() throws {
        let c = try ZipkinCase()
        let frontend = T.FRONTEND.suffixed(c.suffix)
        try c.accept(ZipkinSpan(traceId: T.newTraceId(), id: "a", localEndpoint: frontend))
        try c.inEveryPhase { try expectNames(c, "remoteServices", frontend.serviceName, []) }
    }

    @Test func getRemoteServiceNames_serviceNameGoesLowercase() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        try c.accept(span)
        try c.inEveryPhase { try expectNames(c, "remoteServices", span.localServiceName!.uppercased(), [span.remoteServiceName!]) }
    }

    @Test func getSpanNames_doesNotMapNameToRemoteServiceName() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        try c.accept(span)
        try c.inEveryPhase { try expectNames(c, "spans", span.remoteServiceName, []) }
    }

    @Test func getSpanNames() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        let frontend = span.localServiceName!
        try expectNames(c, "spans", frontend, [])
        try c.accept(span)
        try c.inEveryPhase(restart: true) {
            try expectNames(c, "spans", frontend + "1", [])
            try expectNames(c, "spans", frontend, ["get"])
        }
    }

    @Test func getSpanNames_allReturned() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        let names = (0..<50).map { String(format: "yak%02d", $0) }
        for (i, name) in names.enumerated() { try c.accept(span.with { $0.id = String(i + 1, radix: 16); $0.name = name }) }
        try c.inEveryPhase { try expectNames(c, "spans", span.localServiceName, names) }
    }

    @Test func getSpanNames_dedupes() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        for i in 1...50 { try c.accept(span.with { $0.id = String(i, radix: 16) }) }
        try c.inEveryPhase { try expectNames(c, "spans", span.localServiceName, ["get"]) }
    }

    @Test func getSpanNames_noSpanName() throws {
        let c = try ZipkinCase()
        let frontend = T.FRONTEND.suffixed(c.suffix)
        try c.accept(ZipkinSpan(traceId: T.newTraceId(), id: "a", localEndpoint: frontend))
        try c.inEveryPhase { try expectNames(c, "spans", frontend.serviceName, []) }
    }

    @Test func getSpanNames_serviceNameGoesLowercase() throws {
        let c = try ZipkinCase()
        let span = Self.clientSpan(c)
        try c.accept(span)
        try c.inEveryPhase { try expectNames(c, "spans", span.localServiceName!.uppercased(), ["get"]) }
    }
}
