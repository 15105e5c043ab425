import Foundation

/// A Zipkin v2 span as the acceptance tests build and read it: a plain value, so expected and returned
/// spans compare with `==` field by field (the analogue of AssertJ's recursive comparison upstream).
///
/// IDs are normalised on assignment the way `zipkin2.Span.Builder` does (left-padded to 16 or 32
/// characters, a 32-character id whose upper half is zero shortened to 16), so fixtures can say `id: "1"`
/// and still equal what the daemon returns.
struct ZipkinSpan: Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Sendable { case CLIENT, SERVER, PRODUCER, CONSUMER }

    var traceId: String { didSet { traceId = Self.normalizedTraceId(traceId) } }
    var parentId: String? { didSet { parentId = parentId.map(Self.normalizedSpanId) } }
    var id: String { didSet { id = Self.normalizedSpanId(id) } }
    var kind: Kind?
    var name: String?
    /// Epoch microseconds; nil is absent (Zipkin treats 0 the same).
    var timestamp: Int64?
    /// Microseconds; nil is absent.
    var duration: Int64?
    var localEndpoint: ZipkinEndpoint?
    var remoteEndpoint: ZipkinEndpoint?
    var annotations: [ZipkinAnnotation] = []
    var tags: [String: String] = [:]
    var debug = false
    var shared = false

    init(
        traceId: String, parentId: String? = nil, id: String, kind: Kind? = nil, name: String? = nil, timestamp: Int64? = nil,
        duration: Int64? = nil, localEndpoint: ZipkinEndpoint? = nil, remoteEndpoint: ZipkinEndpoint? = nil,
        annotations: [ZipkinAnnotation] = [], tags: [String: String] = [:], debug: Bool = false, shared: Bool = false
    ) {
        self.traceId = Self.normalizedTraceId(traceId)
        self.parentId = parentId.map(Self.normalizedSpanId)
        self.id = Self.normalizedSpanId(id)
        self.kind = kind
        self.name = name
        self.timestamp = timestamp
        self.duration = duration
        self.localEndpoint = localEndpoint
        self.remoteEndpoint = remoteEndpoint
        self.annotations = annotations
        self.tags = tags
        self.debug = debug
        self.shared = shared
    }

    /// A copy with `change` applied: the `toBuilder()...build()` of the Java fixtures.
    func with(_ change: (inout ZipkinSpan) -> Void) -> ZipkinSpan {
        var copy = self
        change(&copy)
        return copy
    }

    var localServiceName: String? { localEndpoint?.serviceName }
    var remoteServiceName: String? { remoteEndpoint?.serviceName }

    static func normalizedSpanId(_ id: String) -> String {
        id.count >= 16 ? id : String(repeating: "0", count: 16 - id.count) + id
    }

    static func normalizedTraceId(_ id: String) -> String {
        if id.count <= 16 { return normalizedSpanId(id) }
        let padded = id.count < 32 ? String(repeating: "0", count: 32 - id.count) + id : id
        return padded.hasPrefix("0000000000000000") ? String(padded.dropFirst(16)) : padded
    }

    var description: String { ZipkinJSON.encode(self) }
}

struct ZipkinEndpoint: Hashable, Sendable {
    var serviceName: String?
    var ipv4: String?
    var ipv6: String?
    var port: Int?

    init(serviceName: String? = nil, ipv4: String? = nil, ipv6: String? = nil, port: Int? = nil) {
        self.serviceName = serviceName
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.port = port
    }

    /// `TestObjects.suffixServiceName`: `frontend` becomes `frontend_<suffix>`, other fields kept.
    func suffixed(_ suffix: String) -> ZipkinEndpoint {
        var copy = self
        copy.serviceName = TestObjects.appendSuffix(serviceName ?? "", suffix)
        return copy
    }
}

struct ZipkinAnnotation: Hashable, Sendable {
    var timestamp: Int64
    var value: String
}

/// A dependency link as `/api/v2/dependencies` returns it.
struct ZipkinLink: Hashable, Sendable, CustomStringConvertible, Comparable {
    var parent: String
    var child: String
    var callCount: Int64
    var errorCount: Int64 = 0

    var description: String { "\(parent)→\(child) calls=\(callCount) errors=\(errorCount)" }

    static func < (l: Self, r: Self) -> Bool { (l.parent, l.child) < (r.parent, r.child) }
}

/// Zipkin's JSON v2 wire form, written in `V2SpanWriter`'s field order so bodies can be compared byte for
/// byte, and read back leniently from whatever the daemon answers.
enum ZipkinJSON {
    static func encode(_ spans: [ZipkinSpan]) -> String { "[" + spans.map(encode).joined(separator: ",") + "]" }

    static func encode(_ span: ZipkinSpan) -> String {
        var fields = [#""traceId":"\#(span.traceId)""#]
        if let parentId = span.parentId { fields.append(#""parentId":"\#(parentId)""#) }
        fields.append(#""id":"\#(span.id)""#)
        if let kind = span.kind { fields.append(#""kind":"\#(kind.rawValue)""#) }
        if let name = span.name { fields.append(#""name":\#(quoted(name))"#) }
        if let timestamp = span.timestamp, timestamp != 0 { fields.append(#""timestamp":\#(timestamp)"#) }
        if let duration = span.duration, duration != 0 { fields.append(#""duration":\#(duration)"#) }
        if let local = span.localEndpoint { fields.append(#""localEndpoint":\#(encode(local))"#) }
        if let remote = span.remoteEndpoint { fields.append(#""remoteEndpoint":\#(encode(remote))"#) }
        if !span.annotations.isEmpty {
            let list = span.annotations.map { #"{"timestamp":\#($0.timestamp),"value":\#(quoted($0.value))}"# }
            fields.append(#""annotations":[\#(list.joined(separator: ","))]"#)
        }
        if !span.tags.isEmpty {
            let list = span.tags.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
            fields.append(#""tags":{\#(list.joined(separator: ","))}"#)
        }
        if span.debug { fields.append(#""debug":true"#) }
        if span.shared { fields.append(#""shared":true"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func encode(_ endpoint: ZipkinEndpoint) -> String {
        var fields: [String] = []
        if let serviceName = endpoint.serviceName { fields.append(#""serviceName":\#(quoted(serviceName))"#) }
        if let ipv4 = endpoint.ipv4 { fields.append(#""ipv4":"\#(ipv4)""#) }
        if let ipv6 = endpoint.ipv6 { fields.append(#""ipv6":"\#(ipv6)""#) }
        if let port = endpoint.port { fields.append(#""port":\#(port)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A JSON string literal escaped as Zipkin's `JsonEscaper` does (quote, backslash, controls, U+2028/9).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func span(_ object: Any) throws -> ZipkinSpan {
        guard let json = object as? [String: Any], let traceId = json["traceId"] as? String, let id = json["id"] as? String else {
            throw TestFailure("not a span: \(object)")
        }
        var span = ZipkinSpan(traceId: traceId, parentId: json["parentId"] as? String, id: id)
        if let kind = json["kind"] as? String {
            guard let parsed = ZipkinSpan.Kind(rawValue: kind) else { throw TestFailure("unknown kind \(kind)") }
            span.kind = parsed
        }
        span.name = json["name"] as? String
        span.timestamp = (json["timestamp"] as? NSNumber)?.int64Value
        span.duration = (json["duration"] as? NSNumber)?.int64Value
        span.localEndpoint = json["localEndpoint"].flatMap(endpoint)
        span.remoteEndpoint = json["remoteEndpoint"].flatMap(endpoint)
        for annotation in json["annotations"] as? [[String: Any]] ?? [] {
            let timestamp = (annotation["timestamp"] as? NSNumber)?.int64Value ?? -1
            span.annotations.append(ZipkinAnnotation(timestamp: timestamp, value: annotation["value"] as? String ?? "<missing>"))
        }
        for (key, value) in json["tags"] as? [String: Any] ?? [:] { span.tags[key] = value as? String ?? "<not a string: \(value)>" }
        span.debug = json["debug"] as? Bool ?? false
        span.shared = json["shared"] as? Bool ?? false
        return span
    }

    static func endpoint(_ object: Any) -> ZipkinEndpoint? {
        guard let json = object as? [String: Any] else { return nil }
        return ZipkinEndpoint(
            serviceName: json["serviceName"] as? String, ipv4: json["ipv4"] as? String, ipv6: json["ipv6"] as? String,
            port: (json["port"] as? NSNumber)?.intValue)
    }

    static func link(_ object: Any) throws -> ZipkinLink {
        guard let json = object as? [String: Any], let parent = json["parent"] as? String, let child = json["child"] as? String else {
            throw TestFailure("not a dependency link: \(object)")
        }
        return ZipkinLink(
            parent: parent, child: child, callCount: (json["callCount"] as? NSNumber)?.int64Value ?? 0,
            errorCount: (json["errorCount"] as? NSNumber)?.int64Value ?? 0)
    }
}
