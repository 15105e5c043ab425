import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real `pharos serve` process on loopback ports chosen by the kernel, with its own temp data dir.
///
/// Tests talk to it over TCP as clients would. `kill9()` and `restart()` exercise crash recovery;
/// `stop()` sends SIGTERM. Only processes started here are ever signalled, by PID.
final class DaemonProcess {
    let dataDirectory: String
    let extraArguments: [String]
    private(set) var process: Process?
    private(set) var httpPort = 0
    private(set) var openTSDBPort = 0
    let logPath: String

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PHAROS_BINARY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/pharos").path
    }

    init(dataDirectory: String? = nil, arguments: [String] = []) throws {
        let dir = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("pharos-test-\(UUID().uuidString)").path
        self.dataDirectory = dir
        self.extraArguments = arguments
        self.logPath = dir + ".log"
        try start()
    }

    func start() throws {
        let ready = dataDirectory + ".ready"
        try? FileManager.default.removeItem(atPath: ready)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments =
            [
                "serve", "--host", "127.0.0.1", "--http-port", "0", "--opentsdb-port", "0", "--data-dir", dataDirectory,
                "--ready-file", ready, "--log-level", "debug",
            ] + extraArguments
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: ready, encoding: .utf8) {
                for field in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                    let kv = field.split(separator: "=")
                    if kv.count == 2 && kv[0] == "http" { httpPort = Int(kv[1]) ?? 0 }
                    if kv.count == 2 && kv[0] == "opentsdb" { openTSDBPort = Int(kv[1]) ?? 0 }
                }
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw TestFailure("pharos did not become ready; log:\n\(output)")
    }

    /// SIGKILL: no shutdown code runs, as in a crash.
    func kill9() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM and wait: the graceful path.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        self.process = nil
    }

    func restart() throws {
        stop()
        try start()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: dataDirectory + ".ready")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
