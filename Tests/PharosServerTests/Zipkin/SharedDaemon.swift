import Foundation
import Testing

/// A suite trait that starts one real daemon for every test of the suite, with the given flags, and stops
/// it (SIGKILL by PID in `DaemonProcess.deinit`) when the last test has run.
///
/// Zipkin's storage suites share one store per class and clear it between tests; the port shares one daemon
/// per suite instead and keeps cases apart with per-case service-name suffixes and random trace ids, which
/// keeps the whole port to a handful of daemon start-ups. Use with `.serialized`: cases may restart it.
struct SharedDaemon: SuiteTrait, TestScoping {
    /// Holds the running daemon for the tests of the suite; only touched by the one test running at a time.
    final class Box: @unchecked Sendable {
        let daemon: DaemonProcess
        init(_ daemon: DaemonProcess) { self.daemon = daemon }
    }

    /// The daemon of the suite the current test belongs to, if its suite has this trait.
    @TaskLocal static var current: Box?

    let arguments: [String]

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let box = Box(try DaemonProcess(arguments: arguments))
        try await Self.$current.withValue(box) { try await function() }
        withExtendedLifetime(box) {}
    }
}

extension Trait where Self == SharedDaemon {
    /// One `pharos serve` with `arguments` for all tests of the suite.
    static func sharedDaemon(_ arguments: String...) -> SharedDaemon { SharedDaemon(arguments: arguments) }
}
