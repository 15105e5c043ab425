public import NIOCore
public import NIOHTTP1
import PharosCore

/// A response to send: status, headers and a body.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: HTTPResponseStatus, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse
    {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: ByteBuffer(string: text))
    }

    public static func json(_ status: HTTPResponseStatus, _ json: String) -> HTTPResponse {
        text(status, json, contentType: "application/json")
    }

    public static func json(_ status: HTTPResponseStatus, bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: ByteBuffer(bytes: bytes))
    }

    public static let noContent = HTTPResponse(status: .noContent)
}

/// Where a handler sends its one response; may be called from any thread, exactly once.
public struct ResponseSink: Sendable {
    let send: @Sendable (HTTPResponse) -> Void

    public func callAsFunction(_ response: HTTPResponse) { send(response) }
}

extension HTTPResponse {
    /// The same response with `access-control-allow-origin: *`.
    func allowingAnyOrigin() -> HTTPResponse {
        var copy = self
        copy.headers.replaceOrAdd(name: "access-control-allow-origin", value: "*")
        return copy
    }
}
