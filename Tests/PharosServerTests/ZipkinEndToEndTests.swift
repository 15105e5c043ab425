import Foundation
import Testing

/// Zipkin's collector and name/trace API through the real daemon (the start of the tracing issue).
@Suite(.serialized)
struct ZipkinEndToEndTests {
    static let spans = """
        [{"traceId":"86154a4ba6e91385","id":"86154a4ba6e91385","kind":"SERVER","name":"GET /API","timestamp":1700000000000000,
          "duration":2000,"localEndpoint":{"serviceName":"Frontend","ipv4":"10.0.0.1","port":8080},"tags":{"http.method":"GET"}},
         {"traceId":"86154a4ba6e91385","parentId":"86154a4ba6e91385","id":"4d1e00c0db9010db","kind":"CLIENT","name":"select",
          "timestamp":1700000000000500,"duration":900,"localEndpoint":{"serviceName":"frontend"},
          "remoteEndpoint":{"serviceName":"MySQL","ipv6":"2001:db8::1","port":3306}}]
        """

    @Test func spansAreAcceptedQueriedAndSurviveKill9() throws {
        let daemon = try DaemonProcess()
        let accepted = try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: Self.spans)
        #expect(accepted.status == 202)
        try expectStored(daemon.httpPort)
        daemon.kill9()
        try daemon.start()
        try expectStored(daemon.httpPort)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/trace/0000000000000001").status == 404)
    }

    @Test func traceManyAndAutocomplete() throws {
        let daemon = try DaemonProcess(arguments: ["--autocomplete-keys", "http.method,env"])
        #expect(try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: Self.spans).status == 202)
        let many = try TestHTTP.get(daemon.httpPort, "/api/v2/traceMany?traceIds=86154a4ba6e91385,0000000000000009")
        let traces = try #require(many.json as? [[[String: Any]]])
        #expect(traces.count == 1 && traces[0].count == 2)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/traceMany?traceIds=").status == 400)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/autocompleteKeys").text == #"["http.method","env"]"#)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/autocompleteValues?key=http.method").text == #"["GET"]"#)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/autocompleteValues?key=env").text == "[]")
    }

    @Test func badSpansAreRefusedWithZipkinsMessageAndNothingIsStored() throws {
        let daemon = try DaemonProcess()
        let body = #"[{"traceId":"86154a4ba6e91385","id":"1","name":"ok"},{"traceId":"86154A4BA6E91385","id":"2"}]"#
        let refused = try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: body)
        #expect(refused.status == 400)
        #expect(refused.text.contains("should be lower-hex encoded with no prefix"), "\(refused.text)")
        #expect(try TestHTTP.get(daemon.httpPort, "/api/v2/trace/86154a4ba6e91385").status == 404)
        #expect(try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: "[]").status == 202)
        #expect(try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: "{}").status == 400)
    }

    private func expectStored(_ port: Int) throws {
        #expect(try TestHTTP.get(port, "/api/v2/services").text == #"["frontend"]"#)
        #expect(try TestHTTP.get(port, "/api/v2/spans?serviceName=frontend").text == #"["get /api","select"]"#)
        #expect(try TestHTTP.get(port, "/api/v2/remoteServices?serviceName=frontend").text == #"["mysql"]"#)
        let trace = try TestHTTP.get(port, "/api/v2/trace/86154a4ba6e91385")
        #expect(trace.status == 200)
        let spans = try #require(trace.json as? [[String: Any]])
        #expect(spans.count == 2)
        #expect(spans.map { $0["id"] as? String } == ["86154a4ba6e91385", "4d1e00c0db9010db"])
        #expect((spans[1]["remoteEndpoint"] as? [String: Any])?["ipv6"] as? String == "2001:db8::1")
        #expect((spans[0]["localEndpoint"] as? [String: Any])?["serviceName"] as? String == "frontend")
    }
}
