import Foundation
import Testing

/// zipkin-server's `ITZipkinServer` (reference B.9 items 1–17): the query API's HTTP surface, byte for byte
/// where upstream compares bytes. Error bodies are compared without Pharos's trailing newline (`message`).
/// Cases about the global name lists get a fresh daemon; the rest share one and use fresh trace ids.
@Suite(.serialized, .sharedDaemon())
struct ITZipkinServerTests {
    typealias T = TestObjects

    /// `ITZipkinServer.TRACE`: just `CLIENT_SPAN`, here under a fresh trace id.
    static func trace() -> [ZipkinSpan] { [T.clientSpan(traceId: T.newTraceId())] }

    @Test func getTrace() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try c.accept(trace)
        try c.inEveryPhase(restart: true) {
            let response = try TestHTTP.get(c.port, "/api/v2/trace/" + trace[0].traceId)
            #expect(response.status == 200, "[\(c.phase)]")
            #expect(response.text == ZipkinJSON.encode(trace), "[\(c.phase)]")
        }
    }

    @Test func getTrace_notFound() throws {
        let c = try ZipkinCase()
        let traceId = T.newTraceId()
        let response = try TestHTTP.get(c.port, "/api/v2/trace/" + traceId)
        #expect(response.status == 404)
        #expect(response.message == traceId + " not found")
    }

    @Test func getTrace_malformed() throws {
        let c = try ZipkinCase()
        try c.accept(Self.trace())
        let response = try TestHTTP.get(c.port, "/api/v2/trace/0e8b46e1-81b")
        #expect(response.status == 400)
        #expect(response.message == "0e8b46e1-81b should be lower-hex encoded with no prefix")
    }

    @Test func getTraces() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try c.accept(trace)
        try c.inEveryPhase {
            let response = try TestHTTP.get(c.port, "/api/v2/traceMany?traceIds=abcd," + trace[0].traceId)
            #expect(response.status == 200, "[\(c.phase)]")
            #expect(response.text == "[" + ZipkinJSON.encode(trace) + "]", "[\(c.phase)]")
        }
    }

    @Test func getTraces_emptyNotOk() throws {
        let c = try ZipkinCase()
        let response = try TestHTTP.get(c.port, "/api/v2/traceMany?traceIds=")
        #expect(response.status == 400)
        #expect(response.message == "traceIds parameter is empty")
    }

    @Test func getTraces_singleNotOk() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try c.accept(trace)
        let response = try TestHTTP.get(c.port, "/api/v2/traceMany?traceIds=" + trace[0].traceId)
        #expect(response.status == 400)
        #expect(response.message == "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace")
    }

    @Test func getTraces_malformed() throws {
        let c = try ZipkinCase()
        let response = try TestHTTP.get(c.port, "/api/v2/traceMany?traceIds=abcd,0e8b46e1-81b")
        #expect(response.status == 400)
        #expect(response.message == "0e8b46e1-81b should be lower-hex encoded with no prefix")
    }

    /// Needs an empty daemon: the body must be exactly the one stored trace (default window: the last day).
    @Test func tracesQueryRequiresNoParameters() throws {
        let c = try ZipkinCase(freshDaemon: [])
        let trace = [T.clientSpan()]
        try c.accept(trace)
        try c.inEveryPhase {
            let response = try TestHTTP.get(c.port, "/api/v2/traces")
            #expect(response.status == 200, "[\(c.phase)]")
            #expect(response.text == "[" + ZipkinJSON.encode(trace) + "]", "[\(c.phase)]")
        }
    }

    @Test func v2WiresUp() throws {
        let c = try ZipkinCase()
        #expect(try TestHTTP.get(c.port, "/api/v2/services").status == 200)
    }

    @Test func doesntSetCacheControlOnNameEndpointsWhenLessThan4Services() throws {
        let c = try ZipkinCase(freshDaemon: [])
        try c.accept([T.clientSpan()])
        for path in ["/api/v2/services", "/api/v2/spans?serviceName=web", "/api/v2/remoteServices?serviceName=web"] {
            #expect(try TestHTTP.get(c.port, path).headers["cache-control"] == nil, "\(path)")
        }
    }

    @Test func spanNameQueryWorksWithNonAsciiServiceName() throws {
        let c = try ZipkinCase()
        #expect(try TestHTTP.get(c.port, "/api/v2/spans?serviceName=" + TracesQuery.escape("个人信息服务")).status == 200)
    }

    @Test func remoteServiceNameQueryWorksWithNonAsciiServiceName() throws {
        let c = try ZipkinCase()
        #expect(try TestHTTP.get(c.port, "/api/v2/remoteServices?serviceName=" + TracesQuery.escape("个人信息服务")).status == 200)
    }

    @Test func remoteServiceNameReturnsCorrectJsonForEscapedWhitespaceInName() throws {
        let c = try ZipkinCase(freshDaemon: [])
        try c.accept(T.clientSpan().with { $0.localEndpoint?.serviceName = "foo\tbar" })
        let response = try TestHTTP.get(c.port, "/api/v2/services")
        #expect(response.status == 200)
        #expect(response.text == #"["foo\tbar"]"#)
    }

    @Test func setsCacheControlOnNameEndpointsWhenMoreThan3Services() throws {
        let c = try ZipkinCase(freshDaemon: [])
        for (i, service) in ["foo", "bar", "baz", "quz"].enumerated() {
            try c.accept(
                ZipkinSpan(
                    traceId: "a", id: String(i + 1), name: "whopper", timestamp: T.TODAY, localEndpoint: ZipkinEndpoint(serviceName: service),
                    remoteEndpoint: ZipkinEndpoint(serviceName: service + "1")))
        }
        try c.inEveryPhase {
            for path in ["/api/v2/services", "/api/v2/spans?serviceName=web", "/api/v2/remoteServices?serviceName=web"] {
                let cacheControl = try TestHTTP.get(c.port, path).headers["cache-control"]
                #expect(cacheControl == "max-age=300, must-revalidate", "[\(c.phase)] \(path)")
            }
            let services = try TestHTTP.get(c.port, "/api/v2/services").text
            #expect(services == #"["bar","baz","foo","quz"]"#, "[\(c.phase)]")
        }
    }

    @Test func shouldAllowAnyOriginByDefault() throws {
        let c = try ZipkinCase()
        let response = try TestHTTP.request("GET", port: c.port, path: "/api/v2/traces", headers: ["Origin": "http://foo.example.com"])
        #expect((200..<300).contains(response.status))
        #expect(response.headers["vary"] == nil)
        #expect(response.headers["access-control-allow-credentials"] == nil)
        #expect(response.headers["access-control-allow-origin"]?.contains("*") == true, "\(response.headers)")
    }

    @Test func forwardsApiForUi() throws {
        let c = try ZipkinCase()
        for _ in 0..<2 {
            let response = try TestHTTP.get(c.port, "/zipkin/api/v2/traces")
            #expect((200..<300).contains(response.status), "\(response.status) \(response.text)")
        }
    }

    /// okhttp sends the trailing space percent-encoded; zipkin-server trims it.
    @Test func getTrace_spaceAfterTraceId() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try c.accept(trace)
        let response = try TestHTTP.get(c.port, "/api/v2/trace/" + trace[0].traceId + "%20")
        #expect(response.status == 200)
        #expect(response.text == ZipkinJSON.encode(trace))
    }

    @Test(arguments: ["/", "/api/v2/traces", "/whatever/and/not"])
    func traceMethodDisallowed(path: String) throws {
        let c = try ZipkinCase()
        let response = try TestHTTP.request("TRACE", port: c.port, path: path)
        #expect(response.status == 405, "\(response.status) \(response.text)")
    }
}
