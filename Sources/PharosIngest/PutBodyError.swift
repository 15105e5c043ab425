/// A whole `/api/put` body was rejected: OpenTSDB answers 400 and writes nothing.
///
/// Messages are OpenTSDB's `BadRequestException` texts; `detail` says, for Pharos' logs and the error
/// JSON `details` field, where the body went wrong (OpenTSDB puts Jackson's message there).
public struct PutBodyError: Error, Sendable, Equatable {
    /// OpenTSDB's message, e.g. `Unable to parse the given JSON`.
    public var message: String
    /// Where and why, e.g. `unexpected byte 'x' at offset 12`; empty when the message says it all.
    public var detail: String
    /// The HTTP status OpenTSDB uses: always 400 for body errors.
    public var status: Int { 400 }

    /// Creates a body error with OpenTSDB's `message` and Pharos' `detail`.
    public init(message: String, detail: String = "") {
        self.message = message
        self.detail = detail
    }

    static let notObjectOrArray = "The JSON must start as an object or an array"
    static let unparsable = "Unable to parse the given JSON"
    static let noDatapoints = "No datapoints found in content"
    static let missingContent = "Missing request content"
}
