import CompressNIO
import NIOCore
import NIOHTTP1
import PharosCore

/// Turns HTTP/1.1 request parts into whole requests for the router, and responses back into parts.
///
/// One per connection, on its event loop. Enforces the body limits (413 and close), inflates gzip and
/// deflate bodies with a cap, keeps connections alive when the client asks, and times each request.
final class HTTPChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let limits: HTTPLimits
    private let stats: ServerStats
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var rejected = false
    private var started = ContinuousClock.now

    init(router: Router, limits: HTTPLimits, stats: ServerStats) {
        self.router = router
        self.limits = limits
        self.stats = stats
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            rejected = false
            started = .now
            body = nil
            if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context, length: length)
            }
        case .body(var chunk):
            guard !rejected else { return }
            if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
            if body!.readableBytes > limits.maxBodyBytes { reject(context: context, length: body!.readableBytes) }
        case .end:
            guard let requestHead = head, !rejected else { return }
            head = nil
            dispatch(context: context, head: requestHead, body: body ?? ByteBuffer())
            body = nil
        }
    }

    private func reject(context: ChannelHandlerContext, length: Int) {
        rejected = true
        body = nil
        let message = OpenTSDBError.json(
            code: 413, message: "Request body too large",
            details: "the body is \(length) bytes; the limit is \(limits.maxBodyBytes) (--max-body-bytes)")
        stats.limitHits.add(1)
        write(context: context, response: .json(.payloadTooLarge, message), keepAlive: false, version: head?.version ?? .http1_1)
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        var body = body
        if let encoding = head.headers.first(name: "content-encoding")?.lowercased(), encoding == "gzip" || encoding == "deflate" {
            do {
                body = try body.decompress(with: encoding == "gzip" ? .gzip : .zlib, maxSize: limits.maxInflatedBytes)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                stats.limitHits.add(1)
                let message = OpenTSDBError.json(
                    code: 413, message: "Request body too large once inflated",
                    details: "the \(encoding) body inflates past \(limits.maxInflatedBytes) bytes (--max-inflated-bytes)")
                return write(context: context, response: .json(.payloadTooLarge, message), keepAlive: false, version: head.version)
            } catch {
                // Zipkin's collector answers a bad gzip body in plain text; everything else speaks OpenTSDB.
                let response: HTTPResponse =
                    head.uri.contains("/spans")
                    ? .text(.badRequest, "Cannot gunzip spans: \(error)\n")
                    : .json(
                        .badRequest,
                        OpenTSDBError.json(
                            code: 400, message: "Unable to decompress the request body", details: "Content-Encoding: \(encoding): \(error)")
                    )
                return write(context: context, response: response, keepAlive: head.isKeepAlive, version: head.version)
            }
        }
        let request = HTTPRequest(method: head.method, uri: head.uri, headers: head.headers, body: body, eventLoop: context.eventLoop)
        let keepAlive = head.isKeepAlive
        let version = head.version
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let started = self.started
        let stats = self.stats
        // Browsers may call the API from any page (zipkin-server's default ALLOWED_ORIGINS=*).
        let crossOrigin = head.headers.contains(name: "origin")
        router.handle(
            request,
            ResponseSink { response in
                stats.httpSeconds.record(started.duration(to: .now))
                let response = crossOrigin ? response.allowingAnyOrigin() : response
                if eventLoop.inEventLoop {
                    let (handler, context) = loopBound.value
                    handler.write(context: context, response: response, keepAlive: keepAlive, version: version)
                } else {
                    eventLoop.execute {
                        let (handler, context) = loopBound.value
                        handler.write(context: context, response: response, keepAlive: keepAlive, version: version)
                    }
                }
            })
    }

    private func write(context: ChannelHandlerContext, response: HTTPResponse, keepAlive: Bool, version: HTTPVersion) {
        guard context.channel.isActive else { return }
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        if response.body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil) }
        let done = context.writeAndFlushPromise(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed HTTP is answered with 400 by NIO's protocol error handler before us; anything else
        // leaves the stream unusable.
        context.close(promise: nil)
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushPromise(_ data: NIOAny) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        writeAndFlush(data, promise: promise)
        return promise.futureResult
    }
}
