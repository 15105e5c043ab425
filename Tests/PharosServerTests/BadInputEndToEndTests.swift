import Foundation
import Testing

/// Bad input gets a clear error, never costs the good data beside it, and never harms the daemon.
@Suite(.serialized)
struct BadInputEndToEndTests {
    @Test func invalidUTF8AndOutOfRangeTimestampsOverTelnet() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        var bytes = Array("put bad.utf8 1700000000 1 host=".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        bytes += Array("put ok.metric 99999999999999 1 host=a\nput ok.metric 1700000000 7 host=a\nversion\n".utf8)
        try connection.send(bytes)
        let reply = connection.readLines(4)
        #expect(reply.count == 4)
        #expect(reply[0].hasPrefix("put: illegal argument: Invalid tag value with key [host]"), "\(reply[0])")
        #expect(reply[1].hasPrefix("put: illegal argument: bad timestamp=99999999999999") || reply[1].hasPrefix("put: "), "\(reply[1])")
        #expect(try TestQuery.dps(port: daemon.httpPort, metric: "ok.metric", start: 1_700_000_000, end: 1_700_000_001) == [["1700000000": 7]])
    }

    @Test func tenThousandTagsAreRefusedAndTheGoodPointBesideIsKept() throws {
        let daemon = try DaemonProcess()
        let tags = (0..<10_000).map { #""k\#($0)":"v""# }.joined(separator: ",")
        let body = #"[{"metric":"many","timestamp":1700000000,"value":1,"tags":{\#(tags)}},"#
            + #"{"metric":"many","timestamp":1700000000,"value":2,"tags":{"host":"a"}}]"#
        let result = try TestHTTP.post(daemon.httpPort, "/api/put?summary", json: body)
        #expect(result.status == 400)
        #expect(result.text == #"{"success":1,"failed":1}"#)
        let details = try TestHTTP.post(daemon.httpPort, "/api/put?details", json: body)
        #expect(details.text.contains("Too many tags: 10000 maximum allowed: 8"))
        #expect(try TestQuery.dps(port: daemon.httpPort, metric: "many", start: 1_700_000_000, end: 1_700_000_001) == [["1700000000": 2]])
    }

    @Test func malformedJSONAndInvalidUTF8BodiesAre400() throws {
        let daemon = try DaemonProcess()
        for body in [#"[{"metric":"m","timestamp":1700000000,"value":1,"tags":{"h":"a"}"#, "[{]", "{\"metric\":\"m\u{0}\"}"] {
            let result = try TestHTTP.post(daemon.httpPort, "/api/put", json: body)
            #expect(result.status == 400, "\(body)")
            #expect(result.text.contains("\"error\""))
        }
        let invalid = Array(#"{"metric":"m"#.utf8) + [0xFF, 0xFE] + Array(#"","timestamp":1700000000,"value":1,"tags":{"h":"a"}}"#.utf8)
        let result = try TestHTTP.request("POST", port: daemon.httpPort, path: "/api/put", body: invalid)
        #expect(result.status == 400)
        #expect(try TestHTTP.get(daemon.httpPort, "/health").status == 200)
    }

    @Test func clientsThatVanishOrLieDoNotHarmTheDaemon() throws {
        let daemon = try DaemonProcess()
        // A body cut off mid-way: the client closes after 10 of 1000 bytes.
        let cut = try TestConnection(port: daemon.httpPort)
        try cut.send("POST /api/put HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[{\"metric\"")
        cut.shutdownWrite()
        // A 1 GB body announced: refused before any of it is read.
        let huge = try TestConnection(port: daemon.httpPort)
        try huge.send("POST /api/put HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n")
        let refused = try TestHTTP.parse(huge.readToEnd())
        #expect(refused.status == 413)
        // Not HTTP at all on the HTTP port.
        let garbage = try TestConnection(port: daemon.httpPort)
        try garbage.send("GARBAGE \u{1}\u{2}\r\n\r\n")
        #expect(try TestHTTP.parse(garbage.readToEnd()).status == 400)
        // Binary noise on the OpenTSDB port goes to the telnet protocol, line by line.
        let noise = try TestConnection(port: daemon.openTSDBPort)
        try noise.send([0x00, 0x01, 0x02, 0x0A] + Array("version\n".utf8))
        let lines = noise.readLines(3)
        #expect(lines.first?.hasPrefix("unknown command") == true)
        #expect(try TestHTTP.get(daemon.httpPort, "/health").status == 200)
        #expect(try TestHTTP.post(daemon.httpPort, "/api/put", json: #"{"metric":"after","timestamp":1700000000,"value":1,"tags":{"h":"a"}}"#).status == 204)
    }
}
