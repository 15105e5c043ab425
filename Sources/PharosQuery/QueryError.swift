import PharosCore
/// A query the engine cannot run, with a message for the 400 response.
public struct QueryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
