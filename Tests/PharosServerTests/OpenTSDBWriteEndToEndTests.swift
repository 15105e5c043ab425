import Foundation
import Testing

/// The OpenTSDB write path through the real daemon: telnet and HTTP on both ports, OpenTSDB's replies.
@Suite(.serialized)
struct OpenTSDBWriteEndToEndTests {
    @Test func telnetPutsAreReadableAfterTheVersionBarrier() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        var lines = ""
        for i in 0..<100 { lines += "put sys.cpu.user \(1_700_000_000 + i * 10) \(Double(i) / 4) host=web01 cpu=0\n" }
        try connection.send(lines + "version\n")
        let reply = connection.readLines(2)
        #expect(reply.count == 2)
        #expect(reply.first?.hasPrefix("net.opentsdb.tools BuildData") == true)
        let series = try TestQuery.dps(port: daemon.httpPort, metric: "sys.cpu.user", start: 1_700_000_000, end: 1_700_001_000)
        #expect(series.count == 1)
        #expect(series[0].count == 100)
        #expect(series[0]["1700000000"] == 0)
        #expect(series[0]["1700000990"] == 24.75)
    }

    @Test func linesSplitAcrossReadsAreReassembled() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        var text = ""
        for i in 0..<300 { text += "put split.metric \(1_700_000_000 + i) \(i) host=h\(i % 3)\r\n" }
        text += "version\n"
        let bytes = Array(text.utf8)
        var offset = 0
        var size = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try connection.send(Array(bytes[offset..<end]))
            offset = end
            size = size % 97 + 1  // 1, 2, … 97 bytes: every split position inside a line occurs
        }
        #expect(connection.readLines(2).count == 2)
        #expect(try TestQuery.count(port: daemon.httpPort, metric: "split.metric", start: 1_700_000_000, end: 1_700_000_300) == 300)
        let series = try TestQuery.dps(port: daemon.httpPort, metric: "split.metric", start: 1_700_000_000, end: 1_700_000_300, tags: ["host": "h1"])
        #expect(series.first?["1700000298"] == 298)
    }

    @Test func telnetErrorsAreOpenTSDBLinesAndTheConnectionStaysOpen() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        try connection.send(
            "put only.metric\nput m 1700000000 NaN host=a\nput m 1700000000 1 \nput m 1700000000 1.5 host=a\nbogus\nversion\n")
        let reply = connection.readLines(6)
        #expect(
            Array(reply.prefix(4)) == [
                "put: illegal argument: not enough arguments (need least 4, got 1)",
                "put: invalid value: Invalid character 'N' in NaN",
                "put: illegal argument: Need at least one tag (metric=m, tags={})",
                "unknown command: bogus.  Try `help'.",
            ])
        #expect(reply.count == 6)
        #expect(try TestQuery.count(port: daemon.httpPort, metric: "m", start: 1_700_000_000, end: 1_700_000_001) == 1)
    }

    @Test func overlongLineIsRejectedWithoutClosingTheConnection() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        let long = "put m 1700000000 1 host=" + String(repeating: "x", count: 2000) + "\n"
        try connection.send(long + "put m 1700000010 2 host=a\nversion\n")
        let reply = connection.readLines(3)
        #expect(reply.first?.hasPrefix("put: illegal argument: line too long") == true)
        #expect(try TestQuery.count(port: daemon.httpPort, metric: "m", start: 1_700_000_000, end: 1_700_000_100) == 1)
    }

    @Test func apiPutFollowsOpenTSDBsResponseMatrix() throws {
        let daemon = try DaemonProcess()
        let good = #"{"metric":"sys.mem","timestamp":1700000000,"value":42,"tags":{"host":"a"}}"#
        let bad = #"{"metric":"sys.mem","timestamp":1700000010,"value":1,"tags":{}}"#
        for port in [daemon.httpPort, daemon.openTSDBPort] {
            #expect(try TestHTTP.post(port, "/api/put", json: good).status == 204)
        }
        let plain = try TestHTTP.post(daemon.httpPort, "/api/put", json: "[\(good),\(bad)]")
        #expect(plain.status == 400)
        #expect(plain.text.contains("One or more data points had errors"))
        let summary = try TestHTTP.post(daemon.httpPort, "/api/put?summary", json: "[\(good),\(bad)]")
        #expect(summary.status == 400 && summary.text == #"{"success":1,"failed":1}"#)
        let details = try TestHTTP.post(daemon.httpPort, "/api/put?details", json: good)
        #expect(details.status == 200 && details.text == #"{"success":1,"failed":0,"errors":[]}"#)
        let notJSON = try TestHTTP.post(daemon.httpPort, "/api/put", json: "hello")
        #expect(notJSON.status == 400 && notJSON.text.contains("The JSON must start as an object or an array"))
        let wrongVerb = try TestHTTP.get(daemon.httpPort, "/api/put")
        #expect(wrongVerb.status == 405)
        // The good point of the mixed batch was stored (same series, same timestamp: one point).
        let series = try TestQuery.dps(port: daemon.httpPort, metric: "sys.mem", start: 1_700_000_000, end: 1_700_000_100)
        #expect(series == [["1700000000": 42]])
    }

    @Test func gzipBodiesAreInflatedAndBombsStopAtTheCap() throws {
        let daemon = try DaemonProcess(arguments: ["--max-inflated-bytes", "100000"])
        var points: [String] = []
        for i in 0..<50 { points.append(#"{"metric":"gz","timestamp":\#(1_700_000_000 + i),"value":\#(i),"tags":{"h":"a"}}"#) }
        let body = try gzip(Array("[\(points.joined(separator: ","))]".utf8))
        let ok = try TestHTTP.request(
            "POST", port: daemon.httpPort, path: "/api/put?details", body: body, headers: ["Content-Encoding": "gzip"])
        #expect(ok.status == 200 && ok.text == #"{"success":50,"failed":0,"errors":[]}"#)
        let bomb = try gzip([UInt8](repeating: 0x20, count: 10_000_000))
        let refused = try TestHTTP.request("POST", port: daemon.httpPort, path: "/api/put", body: bomb, headers: ["Content-Encoding": "gzip"])
        #expect(refused.status == 413)
        #expect(try TestHTTP.get(daemon.httpPort, "/health").status == 200)
    }

    @Test func bodiesOverTheLimitGet413() throws {
        let daemon = try DaemonProcess(arguments: ["--max-body-bytes", "1000"])
        let result = try TestHTTP.post(daemon.httpPort, "/api/put", json: "[" + String(repeating: " ", count: 5000) + "]")
        #expect(result.status == 413)
        #expect(result.text.contains("limit is 1000"))
    }

    @Test func metricsAndHealthAreServed() throws {
        let daemon = try DaemonProcess()
        let connection = try TestConnection(port: daemon.openTSDBPort)
        try connection.send("put m 1700000000 1 host=a\nput m x 1 host=a\nversion\n")
        _ = connection.readLines(3)
        let metrics = try TestHTTP.get(daemon.httpPort, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("pharos_points_ingested_total 1\n"))
        #expect(metrics.text.contains("pharos_points_rejected_total 1\n"))
        for name in ["pharos_wal_bytes_written_total", "pharos_wal_fsyncs_total", "pharos_head_series 1", "pharos_partitions",
            "pharos_flush_duration_seconds_count", "pharos_compaction_duration_seconds_count", "pharos_http_request_duration_seconds_bucket"]
        {
            #expect(metrics.text.contains(name), "missing \(name)")
        }
        #expect(try TestHTTP.get(daemon.httpPort, "/health").status == 200)
    }
}

/// gzip via the system's `gzip` command, so the test does not trust the code under test to compress.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-gz-\(UUID().uuidString)")
    try Data(bytes).write(to: input)
    defer { try? FileManager.default.removeItem(at: input) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n", input.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}
