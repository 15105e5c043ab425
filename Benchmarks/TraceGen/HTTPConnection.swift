import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking HTTP/1.1 keep-alive connection on a plain socket: write a request, read its reply.
///
/// Built to cost the benchmark as little as possible: a request is one `writev` of a prepared head and a
/// mapped body, a reply is parsed in place in a reusable buffer (status line, `Content-Length`, chunked
/// bodies, `Connection: close`), and nothing is copied unless the caller keeps the body. Reconnects when
/// the server closed the connection. Owned by one thread.
final class HTTPConnection {
    /// The part of a reply the tools look at.
    struct Reply {
        var status: Int
        /// Bytes of the body (after de-chunking).
        var bodyLength: Int
        /// The body, when asked for.
        var body: [UInt8]
    }

    let endpoint: HTTPEndpoint
    let timeoutSeconds: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = Array(repeating: 0, count: 64 << 10)
    private var start = 0
    private var end = 0

    init(endpoint: HTTPEndpoint, timeoutSeconds: Int = 60) {
        self.endpoint = endpoint
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { disconnect() }

    /// Sends `head` (request line and headers, ending with an empty line) and `body`, and reads the reply.
    func exchange(head: [UInt8], body: UnsafeRawBufferPointer, keepBody: Bool = false) throws -> Reply {
        if fd < 0 { try connect() }
        do {
            try send(head: head, body: body)
            let reply = try readReply(keepBody: keepBody)
            return reply
        } catch {
            disconnect()
            throw error
        }
    }

    /// `GET path` with no body.
    func get(_ path: String, keepBody: Bool = false) throws -> Reply {
        let head = Array("GET \(path) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\nAccept: application/json\r\n\r\n".utf8)
        return try exchange(head: head, body: UnsafeRawBufferPointer(start: nil, count: 0), keepBody: keepBody)
    }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        start = 0
        end = 0
    }

    private func connect() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ToolError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        address.sin_addr.s_addr = endpoint.address
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let message = String(cString: strerror(errno))
            close(socket)
            throw ToolError("cannot connect to \(endpoint.hostHeader): \(message)")
        }
        fd = socket
    }

    private func send(head: [UInt8], body: UnsafeRawBufferPointer) throws {
        try head.withUnsafeBytes { headBytes in
            var parts = [headBytes, body]
            var index = 0
            while index < parts.count {
                let written = parts.withUnsafeBufferPointer { p -> Int in
                    var vectors = p[index...].map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
                    return writev(fd, &vectors, Int32(vectors.count))
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ToolError("cannot send to \(endpoint.hostHeader): \(String(cString: strerror(errno)))")
                }
                var left = written
                while index < parts.count && left >= parts[index].count {
                    left -= parts[index].count
                    index += 1
                }
                if index < parts.count && left > 0 { parts[index] = UnsafeRawBufferPointer(rebasing: parts[index][left...]) }
            }
        }
    }

    private func readReply(keepBody: Bool) throws -> Reply {
        var headerEnd = try findHeaderEnd()
        let (status, contentLength, chunked, closes) = parseHead(start..<headerEnd)
        start = headerEnd
        var reply = Reply(status: status, bodyLength: 0, body: [])
        if chunked {
            while true {
                headerEnd = try findLineEnd()
                let size = chunkSize(start..<(headerEnd - 2))
                start = headerEnd
                if size == 0 {
                    while try findLineEnd() != start + 2 { start = try findLineEnd() }  // trailers, then the empty line
                    start += 2
                    break
                }
                try fill(size + 2)
                if keepBody { reply.body.append(contentsOf: buffer[start..<(start + size)]) }
                reply.bodyLength += size
                start += size + 2
            }
        } else {
            try fill(contentLength)
            if keepBody { reply.body = Array(buffer[start..<(start + contentLength)]) }
            reply.bodyLength = contentLength
            start += contentLength
        }
        if start == end {
            start = 0
            end = 0
        }
        if closes { disconnect() }
        return reply
    }

    /// Index just past the `\r\n\r\n` that ends the head, reading more as needed.
    private func findHeaderEnd() throws -> Int {
        var from = start
        while true {
            if end - from >= 4 {
                for i in from...(end - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                    return i + 4
                }
                from = end - 3
            }
            let shift = start
            try readMore()
            from -= shift - start  // readMore may compact the buffer
        }
    }

    /// Index just past the next `\r\n` from `start`.
    private func findLineEnd() throws -> Int {
        while true {
            if end - start >= 2 {
                for i in start...(end - 2) where buffer[i] == 13 && buffer[i + 1] == 10 { return i + 2 }
            }
            try readMore()
        }
    }

    /// Reads until at least `count` bytes follow `start`.
    private func fill(_ count: Int) throws {
        while end - start < count { try readMore() }
    }

    /// One `read` into the free tail of the buffer, first compacting or growing it.
    private func readMore() throws {
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { b in _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
                end -= start
                start = 0
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress! + end, b.count - end) }
            if n > 0 {
                end += n
                return
            }
            if n == 0 { throw ToolError("\(endpoint.hostHeader) closed the connection") }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw ToolError("no reply from \(endpoint.hostHeader) in \(timeoutSeconds) s") }
            throw ToolError("cannot read from \(endpoint.hostHeader): \(String(cString: strerror(errno)))")
        }
    }

    /// Status, `Content-Length`, chunked and `Connection: close` from the head's bytes.
    private func parseHead(_ range: Range<Int>) -> (Int, Int, Bool, Bool) {
        var status = 0
        var length = 0
        var chunked = false
        var closes = false
        var lineStart = range.lowerBound
        var first = true
        for i in range where buffer[i] == 10 {
            let line = buffer[lineStart..<max(lineStart, i - 1)]
            lineStart = i + 1
            if first {
                first = false
                let digits = line.dropFirst(9).prefix(3)
                status = digits.reduce(0) { $0 * 10 + Int($1) - 48 }
                continue
            }
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "content-length": length = Int(value) ?? 0
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closes = value.contains("close")
            default: break
            }
        }
        return (status, length, chunked, closes)
    }

    private func chunkSize(_ range: Range<Int>) -> Int {
        var size = 0
        for i in range {
            let b = buffer[i]
            let digit: Int
            switch b {
            case 48...57: digit = Int(b) - 48
            case 97...102: digit = Int(b) - 87
            case 65...70: digit = Int(b) - 55
            default: return size  // chunk extensions
            }
            size = size * 16 + digit
        }
        return size
    }
}
