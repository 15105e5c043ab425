#if canImport(Glibc)
import Glibc
#endif
import PharosCore

/// What went wrong in the store, with the file, offset and cause in the message.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The disk is full (ENOSPC/EDQUOT): the write was not acknowledged; retry when space returns.
        case diskFull
        /// Any other I/O failure.
        case io
        /// Bytes on disk that fail their checksum or do not parse.
        case corrupt
        /// A caller asked for something the store cannot do (bad argument).
        case invalidArgument
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// Builds an error from the current `errno`, naming the operation and the path.
    static func posix(_ operation: String, path: String, errno code: Int32 = errno) -> StorageError {
        let reason = String(cString: strerror(code))
        let kind: Kind = (code == ENOSPC || code == EDQUOT) ? .diskFull : .io
        return StorageError(kind, "cannot \(operation) \(path): \(reason)")
    }
}
