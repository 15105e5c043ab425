import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A full disk: writes get 503 with a message and nothing of them is stored, what was acknowledged before
/// stays readable, no file is left corrupt, and ingest resumes once space returns. Needs root (it mounts a
/// small tmpfs as the data directory), which the development machines and CI have.
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct DiskFullEndToEndTests {
    @Test func fullDiskAnswers503AndIngestResumesWhenSpaceReturns() throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint])
        defer {
            _ = try? run("/bin/umount", ["-l", mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        let dataDir = mountPoint + "/data"
        var daemon: DaemonProcess? = try DaemonProcess(dataDirectory: dataDir)
        let port = daemon!.httpPort
        // Leave about 200 KiB free.
        let filler = mountPoint + "/filler"
        var free = try freeBytes(mountPoint)
        _ = FileManager.default.createFile(atPath: filler, contents: Data(count: Int(free) - 200_000))
        free = try freeBytes(mountPoint)
        #expect(free < 300_000)

        var acknowledged: [String: Double] = [:]
        var refused: HTTPResult?
        var t = 1_700_000_000
        for batch in 0..<400 where refused == nil {
            var points: [String] = []
            var values: [String: Double] = [:]
            for i in 0..<50 {
                points.append(#"{"metric":"full","timestamp":\#(t),"value":\#(batch * 50 + i),"tags":{"host":"a"}}"#)
                values["\(t)"] = Double(batch * 50 + i)
                t += 1
            }
            let result = try TestHTTP.post(port, "/api/put", json: "[\(points.joined(separator: ","))]")
            if result.status == 204 {
                acknowledged.merge(values) { $1 }
            } else {
                refused = result
            }
        }
        let answer = try #require(refused, "the disk never filled")
        #expect(answer.status == 503)
        #expect(answer.text.contains("No space left on device"))
        #expect(acknowledged.count > 1000)
        #expect(try TestHTTP.get(port, "/health").status == 200)
        #expect(try TestQuery.dps(port: port, metric: "full", start: 1_700_000_000, end: Int64(t)) == [acknowledged])

        // Space returns: the next write is accepted, and a crash afterwards loses nothing acknowledged.
        try FileManager.default.removeItem(atPath: filler)
        let resumed = #"{"metric":"full","timestamp":\#(t),"value":-1,"tags":{"host":"a"}}"#
        #expect(try TestHTTP.post(port, "/api/put", json: resumed).status == 204)
        acknowledged["\(t)"] = -1
        daemon!.kill9()
        try daemon!.start()
        let after = try TestQuery.dps(port: daemon!.httpPort, metric: "full", start: 1_700_000_000, end: Int64(t))
        #expect(after == [acknowledged], "\(after.first?.count ?? 0) of \(acknowledged.count) points after the restart; log: \(daemon!.log.suffix(1500))")
        #expect(!daemon!.log.contains("fails its checksum"), "no WAL record was left half-written")
        daemon = nil
    }

    private func freeBytes(_ path: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: path)
        return (attributes[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(tool) \(arguments) failed") }
        return process.terminationStatus
    }
}
