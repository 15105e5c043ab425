#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the data directory's `LOCK` file, held while a store is open, so a second
/// daemon on the same directory fails at start instead of corrupting the first one's files.
final class DirectoryLock: Sendable {
    private let fd: Int32

    init(path: String) throws(StorageError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.posix("open", path: path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StorageError(.io, "the data directory is in use by another process (cannot lock \(path))")
        }
        self.fd = fd
    }

    func release() {
        flock(fd, LOCK_UN)
    }

    deinit { close(fd) }
}
