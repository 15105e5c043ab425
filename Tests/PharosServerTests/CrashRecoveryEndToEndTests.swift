import Foundation
import Testing

/// Nothing acknowledged is lost: points accepted over telnet and HTTP survive `kill -9`, a restart
/// replays them, and a flush moves them into partition files with the same values.
@Suite(.serialized)
struct CrashRecoveryEndToEndTests {
    @Test func acknowledgedPointsSurviveKill9AndFlush() throws {
        let daemon = try DaemonProcess()
        var expected: [String: [String: Double]] = ["a": [:], "b": [:]]
        // Telnet: 3 hours of 10 s points so that partitions get sealed, with an out-of-order rewrite.
        let telnet = try TestConnection(port: daemon.openTSDBPort)
        var lines = ""
        for i in 0..<1080 {
            let t = 1_700_000_000 + i * 10
            let v = Double(i % 97) * 0.25
            lines += "put crash.metric \(t) \(v) host=a\n"
            expected["a"]!["\(t)"] = v
        }
        lines += "put crash.metric 1700000000 99.5 host=a\n"  // last write wins
        expected["a"]!["1700000000"] = 99.5
        try telnet.send(lines + "version\n")
        #expect(telnet.readLines(2).count == 2)
        // HTTP: acknowledged with 204.
        var json: [String] = []
        for i in 0..<200 {
            let t = 1_700_000_000 + i * 30
            json.append(#"{"metric":"crash.metric","timestamp":\#(t),"value":\#(i),"tags":{"host":"b"}}"#)
            expected["b"]!["\(t)"] = Double(i)
        }
        #expect(try TestHTTP.post(daemon.httpPort, "/api/put", json: "[\(json.joined(separator: ","))]").status == 204)

        daemon.kill9()
        try daemon.start()
        try expectExactly(expected, port: daemon.httpPort)
        #expect(daemon.log.contains("replayed the write-ahead log"))

        let flush = try TestHTTP.request("POST", port: daemon.httpPort, path: "/api/admin/flush")
        #expect(flush.status == 200)
        let partitions = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/metrics")
        // 22:13 to 01:13 UTC: after the flush each UTC day holds one partition (late HTTP points that
        // arrived after the 22:00 window was sealed are merged into it by the flush's compaction).
        let parts = partitions.filter { $0.hasSuffix(".part") }
        #expect(parts.count == 2, "\(partitions)")
        #expect(Set(parts.map { $0.prefix(14) }).count == 2, "one partition per day: \(parts)")
        try expectExactly(expected, port: daemon.httpPort)

        daemon.kill9()
        try daemon.start()
        try expectExactly(expected, port: daemon.httpPort)
    }

    @Test func tornWALTailIsCutAndTheRestIsServed() throws {
        let daemon = try DaemonProcess()
        let telnet = try TestConnection(port: daemon.openTSDBPort)
        try telnet.send("put torn 1700000000 1 host=a\nput torn 1700000010 2 host=a\nversion\n")
        #expect(telnet.readLines(2).count == 2)
        daemon.kill9()
        let wal = daemon.dataDirectory + "/wal"
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: wal).sorted().last)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: wal + "/" + segment))
        handle.seekToEndOfFile()
        handle.write(Data([0x40, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF, 2, 1, 2, 3]))  // a record cut off mid-write
        try handle.close()
        try daemon.start()
        let series = try TestQuery.dps(port: daemon.httpPort, metric: "torn", start: 1_700_000_000, end: 1_700_000_100)
        #expect(series == [["1700000000": 1, "1700000010": 2]])
        #expect(daemon.log.contains("cut a torn tail off a WAL segment"))
        let metrics = try TestHTTP.get(daemon.httpPort, "/metrics").text
        #expect(metrics.contains("pharos_wal_torn_tails_total 1\n"))
    }

    private func expectExactly(_ expected: [String: [String: Double]], port: Int) throws {
        for (host, points) in expected {
            let series = try TestQuery.dps(
                port: port, metric: "crash.metric", start: 1_700_000_000, end: 1_700_020_000, tags: ["host": host])
            #expect(series.count == 1)
            #expect(series.first == points, "host \(host): \(series.first?.count ?? 0) of \(points.count) points match")
        }
    }
}

/// The other durability paths: SIGTERM shuts down gracefully, `--fsync always` and `?sync` answer after
/// an fsync covers the write.
@Suite(.serialized)
struct DurabilityModesEndToEndTests {
    @Test func sigtermShutsDownGracefullyAndKeepsEverything() throws {
        let daemon = try DaemonProcess()
        let telnet = try TestConnection(port: daemon.openTSDBPort)
        try telnet.send("put graceful 1700000000 1 host=a\nput graceful 1700000010 2 host=a\nversion\n")
        #expect(telnet.readLines(2).count == 2)
        let process = try #require(daemon.process)
        daemon.stop()
        #expect(process.terminationStatus == 0)
        #expect(daemon.log.contains("pharos stopped"))
        try daemon.start()
        let series = try TestQuery.dps(port: daemon.httpPort, metric: "graceful", start: 1_700_000_000, end: 1_700_000_100)
        #expect(series == [["1700000000": 1, "1700000010": 2]])
    }

    @Test func fsyncAlwaysAndSyncFlagAnswerAfterAnFsync() throws {
        let daemon = try DaemonProcess(arguments: ["--fsync", "always"])
        let before = try fsyncs(daemon.httpPort)
        #expect(try TestHTTP.post(daemon.httpPort, "/api/put", json: #"{"metric":"dur","timestamp":1700000000,"value":1,"tags":{"h":"a"}}"#).status == 204)
        let telnet = try TestConnection(port: daemon.openTSDBPort)
        try telnet.send("put dur 1700000010 2 h=a\nversion\n")
        #expect(telnet.readLines(2).count == 2)
        #expect(try fsyncs(daemon.httpPort) >= before + 2)

        let interval = try DaemonProcess(arguments: ["--fsync", "interval", "--fsync-interval-ms", "60000"])
        let start = try fsyncs(interval.httpPort)
        #expect(try TestHTTP.post(interval.httpPort, "/api/put?sync", json: #"{"metric":"dur","timestamp":1700000000,"value":1,"tags":{"h":"a"}}"#).status == 204)
        #expect(try fsyncs(interval.httpPort) == start + 1, "?sync forces one fsync even with a one-minute interval")
    }

    private func fsyncs(_ port: Int) throws -> Int {
        let text = try TestHTTP.get(port, "/metrics").text
        let line = text.split(separator: "\n").first { $0.hasPrefix("pharos_wal_fsyncs_total ") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }
}
