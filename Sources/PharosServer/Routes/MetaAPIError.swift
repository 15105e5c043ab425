import NIOHTTP1
import PharosIngest

/// A client error of the OpenTSDB meta endpoints (suggest, lookup, annotations), carrying the status,
/// message and details OpenTSDB's `BadRequestException` would give.
struct MetaAPIError: Error, Sendable, Equatable {
    var status: Int
    var message: String
    var details: String

    init(_ message: String, details: String = "", status: Int = 400) {
        self.status = status
        self.message = message
        self.details = details
    }

    /// OpenTSDB's `BadRequestException.missingParameter`.
    static func missingParameter(_ name: String) -> MetaAPIError {
        MetaAPIError("Missing parameter <code>\(name)</code>")
    }

    /// An empty body where JSON is required (`HttpJsonSerializer.parse*V1`).
    static let missingContent = MetaAPIError(
        "Missing message content", details: "Supply valid JSON formatted data in the body of your request")

    /// The OpenTSDB error body for this error.
    var response: HTTPResponse {
        .json(HTTPResponseStatus(statusCode: status), bytes: OpenTSDBResponses.error(code: status, message: message, details: details))
    }
}
