/// One OpenTSDB write error, rendered as OpenTSDB renders it.
///
/// Telnet clients see `telnetLine`; HTTP clients see `message` inside the `details` errors. The `kind`
/// is the Java exception class OpenTSDB's `PutDataPointRpc` maps to a reply prefix.
public struct PutError: Error, Sendable, Equatable {
    /// Which reply prefix OpenTSDB gives the error (`put: <kind>: <message>`).
    public enum Kind: String, Sendable, Equatable {
        /// `IllegalArgumentException`: bad syntax, tags, names, timestamps or non-finite values.
        case illegalArgument = "illegal argument"
        /// `NumberFormatException`: the timestamp or value is not a number.
        case invalidValue = "invalid value"
        /// The first word is not a command the telnet protocol knows.
        case unknownCommand = "unknown command"
    }

    /// The reply prefix class.
    public var kind: Kind
    /// The exception message, exactly as OpenTSDB words it.
    public var message: String

    /// Creates an error of `kind` carrying OpenTSDB's `message`.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The telnet reply without its trailing newline, e.g.
    /// `put: illegal argument: not enough arguments (need least 4, got 2)`.
    public var telnetLine: String {
        switch kind {
        case .unknownCommand: "unknown command: \(message).  Try `help'."
        case .illegalArgument, .invalidValue: "put: \(kind.rawValue): \(message)"
        }
    }

    static func illegal(_ message: String) -> PutError { PutError(kind: .illegalArgument, message: message) }
    static func invalid(_ message: String) -> PutError { PutError(kind: .invalidValue, message: message) }
}
