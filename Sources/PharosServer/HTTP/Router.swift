import NIOHTTP1
import PharosCore

/// Routes a request to its handler by method and exact path (plus prefix routes for path parameters).
///
/// Handlers run on the connection's event loop and must not block: they answer at once, or hand work
/// to a thread pool and call the sink later.
public final class Router: Sendable {
    public typealias Handler = @Sendable (HTTPRequest, ResponseSink) -> Void

    private let exact: [String: [String: Handler]]
    private let prefixes: [(String, [String: Handler])]

    public init(exact: [String: [String: Handler]], prefixes: [(String, [String: Handler])] = []) {
        self.exact = exact
        self.prefixes = prefixes
    }

    public func handle(_ request: HTTPRequest, _ sink: ResponseSink) {
        var request = request
        // Zipkin's UI calls the API under its own base path, as zipkin-server forwards it.
        if request.uri.hasPrefix("/zipkin/api/") { request.uri.removeFirst("/zipkin".count) }
        let path = String(request.path)
        let normalised = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let methods = exact[normalised] ?? prefixes.first { normalised.hasPrefix($0.0) }?.1
        if request.method == .TRACE {
            return sink(.json(.methodNotAllowed, OpenTSDBError.json(code: 405, message: "Method not allowed", details: "TRACE")))
        }
        if request.method == .OPTIONS, methods != nil, let asked = request.headers.first(name: "access-control-request-method") {
            var headers: HTTPHeaders = ["access-control-allow-methods": "GET, POST, PUT, DELETE", "access-control-max-age": "86400"]
            if methods?[asked] == nil { return sink(HTTPResponse(status: .forbidden)) }
            if let wanted = request.headers.first(name: "access-control-request-headers") {
                headers.add(name: "access-control-allow-headers", value: wanted)
            }
            return sink(HTTPResponse(status: .ok, headers: headers))
        }
        guard let methods else {
            return sink(.json(.notFound, OpenTSDBError.json(code: 404, message: "Endpoint not found", details: path)))
        }
        guard let handler = methods[request.method.rawValue] else {
            return sink(
                .json(.methodNotAllowed, OpenTSDBError.json(code: 405, message: "Method not allowed", details: "\(request.method)")))
        }
        handler(request, sink)
    }
}
