import Synchronization

/// One lock of the head's striped set; a class so that an array of them can exist (`Mutex` is not copyable).
final class StripeLock: Sendable {
    private let mutex = Mutex<Void>(())

    @inline(__always)
    func withLock<T>(_ body: (inout Void) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&$0) }
    }
}
