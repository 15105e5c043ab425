#if canImport(Glibc)
import Glibc
#endif
import PharosCore
import Synchronization

/// Thin, throwing wrappers over the POSIX calls the store needs; every error names the path.
enum FileIO {
    static func makeDirectory(_ path: String) throws(StorageError) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw StorageError.posix("create directory", path: built)
            }
        }
    }

    static func listDirectory(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else { throw StorageError.posix("list directory", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    static func remove(_ path: String) throws(StorageError) {
        if unlink(path) != 0 && errno != ENOENT { throw StorageError.posix("remove", path: path) }
    }

    static func rename(_ from: String, _ to: String) throws(StorageError) {
        if Glibc.rename(from, to) != 0 { throw StorageError.posix("rename to \(to)", path: from) }
    }

    /// Makes a rename or create in `directory` durable.
    static func syncDirectory(_ directory: String) throws(StorageError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw StorageError.posix("open directory", path: directory) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw StorageError.posix("sync directory", path: directory) }
    }

    /// Writes `bytes` to a temporary file beside `path`, syncs it, renames it into place and syncs the
    /// directory: the file is either absent or complete after a crash.
    static func writeAtomically(_ path: String, _ write: (FileWriter) throws(StorageError) -> Void) throws(StorageError) {
        let temporary = path + ".tmp"
        let writer = try FileWriter(path: temporary, truncate: true)
        do throws(StorageError) {
            try write(writer)
            try writer.sync()
            writer.close()
            try rename(temporary, path)
        } catch {
            writer.close()
            try? remove(temporary)
            throw error
        }
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        try syncDirectory(directory.isEmpty ? "." : directory)
    }

    static func readAll(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StorageError.posix("open", path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StorageError.posix("stat", path: path) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.posix("read", path: path)
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }
}

/// An append-only file descriptor owned by one writer at a time (callers serialise access).
final class FileWriter: @unchecked Sendable {
    let path: String
    private(set) var fd: Int32
    private(set) var offset: Int64

    init(path: String, truncate: Bool) throws(StorageError) {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw StorageError.posix("open for writing", path: path) }
        self.fd = fd
        var info = stat()
        fstat(fd, &info)
        self.offset = Int64(info.st_size)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            // pwrite at our own offset: after a failed write is cut back, the next one must not leave a hole.
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                let error = StorageError.posix("write", path: path)
                // Cut back whatever part of this write landed, so no partial record stays behind.
                if done > 0 { _ = ftruncate(fd, off_t(offset)) }
                throw error
            }
            done += n
        }
        offset += Int64(bytes.count)
    }

    func write(_ bytes: [UInt8]) throws(StorageError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(StorageError) in try write(raw) } }.get()
    }

    /// Cuts the file back to `length` (used to drop a torn tail or a failed write).
    func truncate(to length: Int64) throws(StorageError) {
        if ftruncate(fd, off_t(length)) != 0 { throw StorageError.posix("truncate", path: path) }
        offset = length
    }

    func sync() throws(StorageError) {
        if fdatasync(fd) != 0 { throw StorageError.posix("sync", path: path) }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
