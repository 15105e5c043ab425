import Foundation
import Testing

/// OpenTSDB's meta endpoints against the real daemon: suggest, search/lookup, annotations (persisted across
/// a restart), version, serializers, stats and dropcaches, with OpenTSDB's exact bodies and errors.
@Suite(.serialized)
struct OpenTSDBLookupEndToEndTests {
    /// Series ids (and so TSUIDs) follow this order: the points go in one request, in one batch.
    static let points = """
        [{"metric":"sys.cpu.user","timestamp":1700000000,"value":1,"tags":{"host":"web01","cpu":"0"}},
         {"metric":"sys.cpu.user","timestamp":1700000000,"value":2,"tags":{"host":"web02","cpu":"0"}},
         {"metric":"sys.cpu.sys","timestamp":1700000000,"value":3,"tags":{"host":"web01"}},
         {"metric":"net.bytes","timestamp":1700000000,"value":4,"tags":{"host":"db01","iface":"eth0"}}]
        """

    func startWithSeries() throws -> DaemonProcess {
        let daemon = try DaemonProcess()
        let put = try TestHTTP.post(daemon.httpPort, "/api/put", json: Self.points)
        guard put.status == 204 else { throw TestFailure("put failed: \(put.status) \(put.text)") }
        return daemon
    }

    /// `text` re-serialised with sorted keys, so that two JSON texts compare by value, not by key order.
    static func json(_ text: String) -> String? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Compares JSON values, so key order does not matter but every value and type does.
    static func expectJSON(_ result: HTTPResult, _ status: Int, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.text)", sourceLocation: sourceLocation)
        #expect(json(expected) != nil, "bad expectation \(expected)", sourceLocation: sourceLocation)
        #expect(json(result.text) == json(expected), "got \(result.text)", sourceLocation: sourceLocation)
    }

    @Test func suggestListsSortedNamesByPrefix() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let cases: [(String, String)] = [
            ("/api/suggest?type=metrics", #"["net.bytes","sys.cpu.sys","sys.cpu.user"]"#),
            ("/api/suggest?type=metrics&q=sys.cpu.u", #"["sys.cpu.user"]"#),
            ("/api/suggest?type=metric&q=sys&max=1", #"["sys.cpu.sys"]"#),
            ("/api/suggest?type=tagk", #"["cpu","host","iface"]"#),
            ("/api/suggest?type=TAGV&q=web", #"["web01","web02"]"#),
            ("/api/suggest?type=tagv&q=nothing", "[]"),
            ("/api/suggest?type=tagv&max=0", #"["0","db01","eth0","web01","web02"]"#),
        ]
        for (path, expected) in cases { Self.expectJSON(try TestHTTP.get(port, path), 200, expected) }
        Self.expectJSON(try TestHTTP.post(port, "/api/suggest", json: #"{"type":"tagk","q":"h","max":5}"#), 200, #"["host"]"#)
        Self.expectJSON(
            try TestHTTP.post(port, "/api/suggest", json: #"{"type":"metrics","max":"2"}"#), 200, #"["net.bytes","sys.cpu.sys"]"#)
    }

    @Test func suggestErrorsAreOpenTSDBs() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let cases: [(HTTPResult, String)] = [
            (try TestHTTP.get(port, "/api/suggest?q=sys"), #"{"error":{"code":400,"message":"Missing parameter <code>type</code>"}}"#),
            (
                try TestHTTP.get(port, "/api/suggest?type=uids"),
                #"{"error":{"code":400,"message":"Invalid 'type' parameter:uids","details":"Invalid type requested: uids"}}"#
            ),
            (
                try TestHTTP.get(port, "/api/suggest?type=tagk&max=ten"),
                #"{"error":{"code":400,"message":"Unable to parse 'max' as a number"}}"#
            ),
            (
                try TestHTTP.post(port, "/api/suggest", json: #"{"q":"sys"}"#),
                #"{"error":{"code":400,"message":"Missing 'type' parameter"}}"#
            ),
            (
                try TestHTTP.post(port, "/api/suggest", json: ""),
                #"{"error":{"code":400,"message":"Missing message content","details":"Supply valid JSON formatted data in the body of your request"}}"#
            ),
        ]
        for (result, expected) in cases { Self.expectJSON(result, 400, expected) }
        #expect(try TestHTTP.post(port, "/api/suggest", json: "{nope").status == 400)
        #expect(try TestHTTP.request("DELETE", port: port, path: "/api/suggest?type=tagk").status == 405)
    }

    @Test func lookupMatchesLikeOpenTSDB() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let web01 = #"{"tsuid":"000000000000","metric":"sys.cpu.user","tags":{"cpu":"0","host":"web01"}}"#
        let web02 = #"{"tsuid":"000000000001","metric":"sys.cpu.user","tags":{"cpu":"0","host":"web02"}}"#
        let sys = #"{"tsuid":"000000000002","metric":"sys.cpu.sys","tags":{"host":"web01"}}"#
        let cases: [(String, String, String)] = [
            ("sys.cpu.user", #""metric":"sys.cpu.user","tags":[],"limit":25"#, "\(web01),\(web02)"),
            ("sys.cpu.user{host=*}", #""metric":"sys.cpu.user","tags":[{"key":"host","value":"*"}],"limit":25"#, "\(web01),\(web02)"),
            (
                "sys.cpu.user{host=web02,host=web01}",
                #""metric":"sys.cpu.user","tags":[{"key":"host","value":"web02"},{"key":"host","value":"web01"}],"limit":25"#,
                "\(web01),\(web02)"
            ),
            ("{host=web01}", #""tags":[{"key":"host","value":"web01"}],"limit":25"#, "\(web01),\(sys)"),
            ("{*=web01}", #""tags":[{"key":"*","value":"web01"}],"limit":25"#, "\(web01),\(sys)"),
            ("{=web01,cpu=}", #""tags":[{"key":null,"value":"web01"},{"key":"cpu","value":null}],"limit":25"#, web01),
        ]
        for (m, echo, results) in cases {
            let path = "/api/search/lookup?m=" + m.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let result = try TestHTTP.get(port, path)
            let count = results.components(separatedBy: "\"tsuid\"").count - 1
            let expected = #"{"type":"LOOKUP",\#(echo),"time":0.0,"results":[\#(results)],"startIndex":0,"totalResults":\#(count)}"#
            Self.expectJSON(Self.zeroTime(result), 200, expected)
        }
        // limit caps the results; totalResults counts what is returned, as OpenTSDB's code does.
        let limited = Self.zeroTime(try TestHTTP.get(port, "/api/search/lookup?m=%7Bhost=*%7D&limit=1"))
        Self.expectJSON(
            limited, 200,
            #"{"type":"LOOKUP","tags":[{"key":"host","value":"*"}],"limit":1,"time":0.0,"results":[\#(web01)],"startIndex":0,"totalResults":1}"#
        )
        let posted = Self.zeroTime(
            try TestHTTP.post(
                port, "/api/search/lookup", json: #"{"metric":"sys.cpu.sys","tags":[{"key":"host","value":"web01"}],"useMeta":true}"#))
        Self.expectJSON(
            posted, 200,
            #"{"type":"LOOKUP","metric":"sys.cpu.sys","tags":[{"key":"host","value":"web01"}],"limit":25,"time":0.0,"results":[\#(sys)],"startIndex":0,"totalResults":1}"#
        )
        let noTags = Self.zeroTime(try TestHTTP.post(port, "/api/search/lookup", json: #"{"metric":"net.bytes","limit":5}"#))
        #expect(noTags.text.hasPrefix(#"{"type":"LOOKUP","metric":"net.bytes","limit":5,"time":"#), "\(noTags.text)")
    }

    @Test func lookupErrorsAreOpenTSDBs() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let cases: [(String, Int, String)] = [
            ("/api/search/lookup", 400, #"{"error":{"code":400,"message":"Missing parameter <code>m</code>"}}"#),
            (
                "/api/search/lookup?m=", 400,
                #"{"error":{"code":400,"message":"Unable to parse query","details":"Metric string was empty"}}"#
            ),
            (
                "/api/search/lookup?m=sys%7Bhost=a", 400,
                #"{"error":{"code":400,"message":"Unable to parse query","details":"Missing '}' at the end of: sys{host=a"}}"#
            ),
            (
                "/api/search/lookup?m=%7B%7D", 400,
                #"{"error":{"code":400,"message":"Unable to parse query","details":"Missing metric and tags: {}"}}"#
            ),
            (
                "/api/search/lookup?m=sys%7Bhost%7D", 400,
                #"{"error":{"code":400,"message":"Unable to parse query","details":"When parsing tag 'host': invalid tag: host"}}"#
            ),
            (
                "/api/search/lookup?m=sys%7Bhost=a,%7D", 400,
                #"{"error":{"code":400,"message":"Unable to parse query","details":"When parsing tag '': Missing tag pair"}}"#
            ),
            (
                "/api/search/lookup?m=sys.cpu.user&limit=x", 400,
                #"{"error":{"code":400,"message":"Unable to convert 'limit' to a valid number"}}"#
            ),
            (
                "/api/search/lookup?m=no.such.metric", 404,
                #"{"error":{"code":404,"message":"Unable to resolve one or more UIDs","details":"No such name for 'metrics': 'no.such.metric'"}}"#
            ),
            (
                "/api/search/lookup?m=sys.cpu.user%7Brack=*%7D", 404,
                #"{"error":{"code":404,"message":"Unable to resolve one or more UIDs","details":"No such name for 'tagk': 'rack'"}}"#
            ),
            (
                "/api/search/lookup?m=%7Bhost=web99%7D", 404,
                #"{"error":{"code":404,"message":"Unable to resolve one or more UIDs","details":"No such name for 'tagv': 'web99'"}}"#
            ),
        ]
        for (path, status, expected) in cases { Self.expectJSON(try TestHTTP.get(port, path), status, expected) }
        Self.expectJSON(
            try TestHTTP.post(port, "/api/search/lookup", json: #"{"limit":3}"#), 400,
            #"{"error":{"code":400,"message":"Missing metric and tags. Please supply at least one value."}}"#)
        #expect(try TestHTTP.post(port, "/api/search/lookup", json: #"{"metric":5,"tags":"x"}"#).status == 400)
    }

    @Test func annotationsAreStoredMergedAndDeletedAsInOpenTSDB() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let note =
            #"{"startTime":"1369141261","tsuid":"000000000001","description":"Testing Annotations","notes":"details","custom":{"owner":"jdoe","dept":"ops"}}"#
        let stored =
            #"{"tsuid":"000000000001","description":"Testing Annotations","notes":"details","custom":{"owner":"jdoe","dept":"ops"},"endTime":0,"startTime":1369141261}"#
        Self.expectJSON(try TestHTTP.post(port, "/api/annotation", json: note), 200, stored)
        // The exact bytes, in the field order of OpenTSDB's documented responses.
        #expect(
            try TestHTTP.get(port, "/api/annotation?start_time=1369141261&tsuid=000000000001").text
                == #"{"tsuid":"000000000001","description":"Testing Annotations","notes":"details","custom":{"dept":"ops","owner":"jdoe"},"endTime":0,"startTime":1369141261}"#
        )
        // POST merges the fields it changes.
        Self.expectJSON(
            try TestHTTP.post(port, "/api/annotation", json: #"{"startTime":1369141261,"tsuid":"000000000001","endTime":1369141300}"#), 200,
            #"{"tsuid":"000000000001","description":"Testing Annotations","notes":"details","custom":{"owner":"jdoe","dept":"ops"},"endTime":1369141300,"startTime":1369141261}"#
        )
        // Nothing to change: 304 without a body.
        let unchanged = try TestHTTP.post(port, "/api/annotation", json: #"{"startTime":1369141261,"tsuid":"000000000001"}"#)
        #expect(unchanged.status == 304 && unchanged.body.isEmpty)
        // PUT replaces every field; TSUIDs are upper-cased, as Pharos hands them out.
        Self.expectJSON(
            try TestHTTP.request(
                "PUT", port: port, path: "/api/annotation",
                body: Array(#"{"startTime":1369141261,"tsuid":"00000000000a","description":"x"}"#.utf8)),
            200, #"{"tsuid":"00000000000A","description":"x","notes":"","endTime":0,"startTime":1369141261}"#)
        // A global annotation through the query string.
        Self.expectJSON(
            try TestHTTP.post(port, "/api/annotation?start_time=1369141400&description=deploy&notes=v2", json: ""), 200,
            #"{"tsuid":"","description":"deploy","notes":"v2","endTime":0,"startTime":1369141400}"#)
        Self.expectJSON(
            try TestHTTP.get(port, "/api/annotations?start_time=1369141400"), 200,
            #"{"tsuid":"","description":"deploy","notes":"v2","endTime":0,"startTime":1369141400}"#)

        // They survive a restart.
        try daemon.restart()
        let after = daemon.httpPort
        Self.expectJSON(
            try TestHTTP.get(after, "/api/annotation?start_time=1369141261&tsuid=000000000001"), 200,
            stored.replacingOccurrences(
                of: #""endTime":0"#, with: #""endTime":1369141300"#))
        let deleted = try TestHTTP.request("DELETE", port: after, path: "/api/annotation?start_time=1369141261&tsuid=000000000001")
        #expect(deleted.status == 204 && deleted.body.isEmpty)
        Self.expectJSON(
            try TestHTTP.get(after, "/api/annotation?start_time=1369141261&tsuid=000000000001"), 404,
            #"{"error":{"code":404,"message":"Unable to locate annotation in storage"}}"#)
        // Deleting what is not there is still a 204, as in OpenTSDB.
        #expect(try TestHTTP.request("DELETE", port: after, path: "/api/annotation?start_time=1369141261&tsuid=000000000001").status == 204)
        try daemon.restart()
        #expect(try TestHTTP.get(daemon.httpPort, "/api/annotation?start_time=1369141261&tsuid=000000000001").status == 404)
        #expect(try TestHTTP.get(daemon.httpPort, "/api/annotation?start_time=1369141400").status == 200)
    }

    @Test func annotationErrorsAreOpenTSDBs() throws {
        let daemon = try DaemonProcess()
        let port = daemon.httpPort
        let missingStart = #"{"error":{"code":400,"message":"The start timestamp has not been set"}}"#
        let cases: [(HTTPResult, Int, String)] = [
            (try TestHTTP.post(port, "/api/annotation", json: #"{"tsuid":"000000000001","description":"x"}"#), 400, missingStart),
            (try TestHTTP.get(port, "/api/annotation?tsuid=000000000001"), 400, #"{"error":{"code":400,"message":"Missing start time"}}"#),
            (
                try TestHTTP.get(port, "/api/annotation?start_time=1369141261"), 404,
                #"{"error":{"code":404,"message":"Unable to locate annotation in storage"}}"#
            ),
            (
                try TestHTTP.request("DELETE", port: port, path: "/api/annotation", body: Array(#"{"tsuid":"000000000001"}"#.utf8)), 400,
                #"{"error":{"code":400,"message":"Unable to delete Annotation information","details":"The start timestamp has not been set"}}"#
            ),
            (
                try TestHTTP.post(port, "/api/annotation", json: #"{"startTime":1369141261,"tsuid":"xyz","notes":"n"}"#), 400,
                #"{"error":{"code":400,"message":"contains illegal character for hexBinary: xyz"}}"#
            ),
            (
                try TestHTTP.post(
                    port, "/api/annotation/bulk", json: #"[{"startTime":1,"description":"ok"},{"tsuid":"0001","description":"bad"}]"#),
                400,
                #"{"error":{"code":400,"message":"The start timestamp has not been set","details":"Annotation error: TSUID: 0001 Start: 0  Description: bad"}}"#
            ),
            (
                try TestHTTP.request("DELETE", port: port, path: "/api/annotation/bulk?start_time=1h-ago"), 400,
                #"{"error":{"code":400,"message":"Missing the TSUIDs or global annotations flag"}}"#
            ),
            (
                try TestHTTP.request("DELETE", port: port, path: "/api/annotation/bulk?global"), 400,
                #"{"error":{"code":400,"message":"Missing parameter <code>start_time</code>"}}"#
            ),
            (
                try TestHTTP.request("DELETE", port: port, path: "/api/annotation/bulk", body: Array(#"{"global":true}"#.utf8)), 400,
                #"{"error":{"code":400,"message":"Missing the start time value"}}"#
            ),
        ]
        for (result, status, expected) in cases { Self.expectJSON(result, status, expected) }
        for body in ["nope", "[1]", #"{"startTime":"soon"}"#, #"{"startTime":1,"custom":[1]}"#] {
            let result = try TestHTTP.post(port, "/api/annotation", json: body)
            #expect(result.status == 400, "\(body): \(result.text)")
        }
        #expect(try TestHTTP.get(port, "/api/annotation/bulk").status == 405)
        // Nothing above was stored.
        #expect(try TestHTTP.get(port, "/api/annotation?start_time=1").status == 404)
    }

    @Test func bulkAnnotationsAreWrittenAndDeletedByRange() throws {
        let daemon = try DaemonProcess()
        let port = daemon.httpPort
        let body = #"""
            [{"startTime":1369141261,"tsuid":"000000000001","description":"a"},
             {"startTime":1369141262,"tsuid":"000000000001","description":"b","custom":{"k":"v"}},
             {"startTime":1369141263,"tsuid":"000000000002"},
             {"startTime":1369141264,"description":"global"}]
            """#
        Self.expectJSON(
            try TestHTTP.post(port, "/api/annotation/bulk", json: body), 200,
            #"""
            [{"tsuid":"000000000001","description":"a","notes":"","endTime":0,"startTime":1369141261},
             {"tsuid":"000000000001","description":"b","notes":"","custom":{"k":"v"},"endTime":0,"startTime":1369141262},
             {"tsuid":"","description":"global","notes":"","endTime":0,"startTime":1369141264}]
            """#)
        let rangeDelete = try TestHTTP.request(
            "DELETE", port: port, path: "/api/annotation/bulk",
            body: Array(#"{"tsuids":["000000000001"],"global":false,"startTime":1369141262,"endTime":"1369141300"}"#.utf8))
        Self.expectJSON(
            rangeDelete, 200,
            #"{"tsuids":["000000000001"],"global":false,"startTime":1369141262000,"endTime":1369141300000,"totalDeleted":1}"#)
        #expect(try TestHTTP.get(port, "/api/annotation?start_time=1369141261&tsuid=000000000001").status == 200)
        #expect(try TestHTTP.get(port, "/api/annotation?start_time=1369141262&tsuid=000000000001").status == 404)
        let globalDelete = try TestHTTP.request(
            "DELETE", port: port,
            path: "/api/annotation/bulk?start_time=1369141000&end_time=1369142000&global&tsuids=000000000001,%20000000000009")
        Self.expectJSON(
            globalDelete, 200,
            #"{"tsuids":["000000000001","000000000009"],"global":true,"startTime":1369141000000,"endTime":1369142000000,"totalDeleted":2}"#)
    }

    @Test func versionSerializersStatsAndDropCaches() throws {
        let daemon = try startWithSeries()
        let port = daemon.httpPort
        let version = try TestHTTP.get(port, "/api/version")
        #expect(version.status == 200)
        let fields = try #require(version.json as? [String: String])
        #expect(
            Set(fields.keys) == [
                "version", "short_revision", "full_revision", "timestamp", "repo_status", "user", "host", "repo", "branch",
            ])
        #expect(fields["version"] == "2.4.0")
        #expect(try TestHTTP.post(port, "/api/version", json: "").status == 200)

        let serializers = try #require(try TestHTTP.get(port, "/api/serializers").json as? [[String: Any]])
        #expect(serializers.count == 1)
        #expect(serializers[0]["serializer"] as? String == "json")
        #expect(serializers[0]["class"] as? String == "net.opentsdb.tsd.HttpJsonSerializer")
        #expect((serializers[0]["formatters"] as? [String])?.contains("SuggestV1") == true)
        #expect((serializers[0]["parsers"] as? [String])?.contains("SuggestV1") == true)

        Self.expectJSON(try TestHTTP.get(port, "/api/dropcaches"), 200, #"{"message":"Caches dropped","status":"200"}"#)
        Self.expectJSON(
            try TestHTTP.request("DELETE", port: port, path: "/api/dropcaches"), 200, #"{"message":"Caches dropped","status":"200"}"#)
        #expect(try TestHTTP.post(port, "/api/dropcaches", json: "{}").status == 405)

        let stats = try #require(try TestHTTP.get(port, "/api/stats").json as? [[String: Any]])
        for stat in stats {
            #expect(Set(stat.keys) == ["metric", "timestamp", "value", "tags"])
            #expect((stat["metric"] as? String)?.hasPrefix("tsd.") == true)
            #expect(stat["value"] is String)
            #expect((stat["tags"] as? [String: String])?["host"]?.isEmpty == false)
        }
        func value(_ metric: String, _ tag: (String, String)? = nil) -> String? {
            stats.first { stat in
                stat["metric"] as? String == metric && tag.map { (stat["tags"] as? [String: String])?[$0.0] == $0.1 } ?? true
            }?["value"] as? String
        }
        #expect(value("tsd.datapoints.added", ("type", "all")) == "4")
        #expect(value("tsd.uid.ids-used", ("kind", "metrics")) == "3")
        #expect(value("tsd.uid.ids-used", ("kind", "tagk")) == "3")
        #expect(value("tsd.uid.ids-used", ("kind", "tagv")) == "5")
        #expect(value("tsd.storage.series") == "4")
    }

    /// `time` is how long the lookup took (a Java float of milliseconds); zero it to compare the rest.
    static func zeroTime(_ result: HTTPResult) -> HTTPResult {
        var copy = result
        let text = result.text.replacingOccurrences(of: #""time":[0-9]+\.0"#, with: #""time":0.0"#, options: .regularExpression)
        copy.body = Array(text.utf8)
        return copy
    }
}
