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

    /// Zipkin's search semantics: conditions met by spans of the named service, window on the trace's root
    /// timestamp, limit counts traces, newest first.
    @Test func traceSearchFollowsZipkinsQueryRequest() throws {
        let daemon = try DaemonProcess()
        func span(
            _ trace: Int, _ id: Int, service: String, name: String, ms: Int64, durationUs: Int, tags: String = "{}", parent: Int? = nil
        ) -> String {
            let parentField = parent.map { #""parentId":"\#(String(format: "%016x", $0))","# } ?? ""
            return
                #"{"traceId":"\#(String(format: "%016x", trace))",\#(parentField)"id":"\#(String(format: "%016x", id))","name":"\#(name)","#
                + #""timestamp":\#(ms * 1000),"duration":\#(durationUs),"localEndpoint":{"serviceName":"\#(service)"},"tags":\#(tags)}"#
        }
        let body =
            "["
            + [
                span(1, 1, service: "web", name: "get /", ms: 1_700_000_000_000, durationUs: 500, tags: #"{"http.method":"GET"}"#),
                span(1, 2, service: "db", name: "select", ms: 1_700_000_000_100, durationUs: 90_000, parent: 1),
                span(2, 3, service: "web", name: "post /", ms: 1_700_000_060_000, durationUs: 2_000, tags: #"{"error":""}"#),
                span(3, 4, service: "web", name: "get /", ms: 1_699_000_000_000, durationUs: 100),
            ].joined(separator: ",") + "]"
        #expect(try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: body).status == 202)
        func ids(_ query: String) throws -> [String] {
            let result = try TestHTTP.get(daemon.httpPort, "/api/v2/traces?endTs=1700000100000&lookback=3600000&" + query)
            let traces = try #require(result.json as? [[[String: Any]]], "\(result.status) \(result.text)")
            return traces.map { ($0.first?["traceId"] as? String) ?? "?" }
        }
        #expect(try ids("") == ["0000000000000002", "0000000000000001"], "newest first; trace 3 is outside the window")
        #expect(try ids("limit=1") == ["0000000000000002"])
        #expect(try ids("serviceName=WEB&spanName=get%20/") == ["0000000000000001"])
        #expect(try ids("serviceName=web&minDuration=10000") == [], "the slow span belongs to db, not web")
        #expect(try ids("serviceName=db&minDuration=10000&maxDuration=90000") == ["0000000000000001"])
        #expect(try ids("annotationQuery=http.method%3DGET") == ["0000000000000001"])
        #expect(try ids("annotationQuery=error") == ["0000000000000002"])
        #expect(try ids("spanName=all&serviceName=") == ["0000000000000002", "0000000000000001"])
        for (query, message) in [
            ("limit=0", "limit <= 0"), ("lookback=0", "lookback <= 0"), ("maxDuration=5", "maxDuration is only valid with minDuration"),
            ("minDuration=10&maxDuration=5", "maxDuration < minDuration"), ("minDuration=0", "minDuration <= 0"),
        ] {
            let result = try TestHTTP.get(daemon.httpPort, "/api/v2/traces?" + query)
            #expect(result.status == 400 && result.text == message + "\n", "\(query): \(result.text)")
        }
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

    /// Extreme but well-formed numbers are clamped, never a crash (they are multiplied into microseconds).
    @Test func hugeEndTsAndLookbackAreClamped() throws {
        let daemon = try DaemonProcess()
        #expect(try TestHTTP.post(daemon.httpPort, "/api/v2/spans", json: Self.spans).status == 202)
        let max = "9223372036854775807"
        for path in [
            "/api/v2/traces?endTs=\(max)&lookback=\(max)", "/api/v2/dependencies?endTs=\(max)&lookback=\(max)",
            "/api/v2/dependencies?endTs=1&lookback=\(max)",
        ] {
            let response = try TestHTTP.get(daemon.httpPort, path)
            #expect(response.status == 200, "\(path): \(response.text)")
        }
        #expect(
            try TestHTTP.get(daemon.httpPort, "/api/v2/dependencies?endTs=\(max)&lookback=\(max)").text
                == #"[{"parent":"frontend","child":"mysql","callCount":1}]"#)
        #expect(try TestHTTP.get(daemon.httpPort, "/health").status == 200)
    }
}
