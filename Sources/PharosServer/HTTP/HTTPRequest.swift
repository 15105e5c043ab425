public import NIOCore
public import NIOHTTP1
import PharosCore

/// A complete HTTP request: head plus the whole (already inflated) body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var uri: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// The connection's event loop; handlers run on it and may keep per-loop state (see `EventLoopLocal`).
    public var eventLoop: any EventLoop

    /// The path without the query string.
    public var path: Substring {
        uri.firstIndex(of: "?").map { uri[..<$0] } ?? Substring(uri)
    }

    /// Query parameters, percent-decoded; a key given without `=` maps to "" (OpenTSDB's flags).
    public var query: [String: String] {
        guard let mark = uri.firstIndex(of: "?") else { return [:] }
        var out: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            if let eq = pair.firstIndex(of: "=") {
                out[Self.percentDecode(pair[..<eq])] = Self.percentDecode(pair[pair.index(after: eq)...])
            } else {
                out[Self.percentDecode(pair)] = ""
            }
        }
        return out
    }

    /// All values of a repeated query parameter, in order (OpenTSDB's `m=` may repeat).
    public func queryValues(_ name: String) -> [String] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        return uri[uri.index(after: mark)...].split(separator: "&").compactMap { pair in
            let eq = pair.firstIndex(of: "=") ?? pair.endIndex
            guard Self.percentDecode(pair[..<eq]) == name else { return nil }
            return eq == pair.endIndex ? "" : Self.percentDecode(pair[pair.index(after: eq)...])
        }
    }

    static func percentDecode(_ text: Substring) -> String {
        guard text.contains("%") || text.contains("+") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
