import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a tracegen client connects: an `http://host:port` base URL resolved once to an IPv4 address.
struct HTTPEndpoint: Sendable {
    let host: String
    let port: UInt16
    /// The resolved IPv4 address in network byte order, as `sockaddr_in` wants it.
    let address: UInt32

    /// Parses `http://host[:port][/…]` (any path is ignored) and resolves `host` to IPv4.
    init(url: String) throws {
        guard url.hasPrefix("http://") else { throw ToolError("--url must start with http:// (got \(url))") }
        let rest = url.dropFirst("http://".count).prefix { $0 != "/" }
        let parts = rest.split(separator: ":", maxSplits: 1)
        guard let first = parts.first, !first.isEmpty else { throw ToolError("--url has no host: \(url)") }
        host = String(first)
        if parts.count == 2 {
            guard let p = UInt16(parts[1]), p > 0 else { throw ToolError("--url has a bad port: \(url)") }
            port = p
        } else {
            port = 80
        }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let info = result, let sockaddr = info.pointee.ai_addr else {
            throw ToolError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
    }

    /// The `Host` header value.
    var hostHeader: String { "\(host):\(port)" }
}
