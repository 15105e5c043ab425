import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Zipkin v1 bodies (JSON and TBinaryProtocol thrift) for the collector cases, converted from v2 spans the
/// way `SpanBytesEncoder.JSON_V1` / `THRIFT` do: kind becomes `cs`/`cr` or `sr`/`ss` annotations on the
/// local endpoint, the remote endpoint a `sa`/`ca` address annotation, tags string binary annotations.
/// Written here, not taken from the daemon, so the test does not trust the code under test.
enum ZipkinV1 {
    struct Annotation {
        var timestamp: Int64
        var value: String
        var endpoint: ZipkinEndpoint?
    }

    struct BinaryAnnotation {
        var key: String
        /// nil for an address annotation (`ca`, `sa`, `ma`: boolean true).
        var value: String?
        var endpoint: ZipkinEndpoint?
    }

    struct Span {
        var traceId: String
        var parentId: String?
        var id: String
        var name: String
        var timestamp: Int64?
        var duration: Int64?
        var annotations: [Annotation] = []
        var binaryAnnotations: [BinaryAnnotation] = []
        var debug = false
    }

    static func convert(_ span: ZipkinSpan) -> Span {
        var v1 = Span(
            traceId: span.traceId, parentId: span.parentId, id: span.id, name: span.name ?? "", timestamp: span.timestamp,
            duration: span.duration, debug: span.debug)
        let local = span.localEndpoint
        if let kind = span.kind, let start = span.timestamp {
            let (begin, end, address) =
                switch kind {
                case .CLIENT: ("cs", "cr", "sa")
                case .SERVER: ("sr", "ss", "ca")
                case .PRODUCER: ("ms", "ws", "ma")
                case .CONSUMER: ("wr", "mr", "ma")
                }
            v1.annotations.append(Annotation(timestamp: start, value: begin, endpoint: local))
            if let duration = span.duration { v1.annotations.append(Annotation(timestamp: start + duration, value: end, endpoint: local)) }
            if let remote = span.remoteEndpoint { v1.binaryAnnotations.append(BinaryAnnotation(key: address, value: nil, endpoint: remote)) }
        }
        if span.shared { v1.timestamp = nil; v1.duration = nil }
        v1.annotations += span.annotations.map { Annotation(timestamp: $0.timestamp, value: $0.value, endpoint: local) }
        v1.binaryAnnotations += span.tags.sorted { $0.key < $1.key }.map { BinaryAnnotation(key: $0.key, value: $0.value, endpoint: local) }
        return v1
    }

    // MARK: JSON v1

    static func json(_ spans: [ZipkinSpan]) -> String { "[" + spans.map { json(convert($0)) }.joined(separator: ",") + "]" }

    static func json(_ span: Span) -> String {
        var fields = [#""traceId":"\#(span.traceId)""#]
        if let parentId = span.parentId { fields.append(#""parentId":"\#(parentId)""#) }
        fields.append(#""id":"\#(span.id)""#)
        fields.append(#""name":\#(ZipkinJSON.quoted(span.name))"#)
        if let timestamp = span.timestamp { fields.append(#""timestamp":\#(timestamp)"#) }
        if let duration = span.duration { fields.append(#""duration":\#(duration)"#) }
        let annotations = span.annotations.map { a in
            #"{"timestamp":\#(a.timestamp),"value":\#(ZipkinJSON.quoted(a.value))"# + (a.endpoint.map { #","endpoint":"# + endpoint($0) } ?? "") + "}"
        }
        if !annotations.isEmpty { fields.append(#""annotations":[\#(annotations.joined(separator: ","))]"#) }
        let binary = span.binaryAnnotations.map { b in
            #"{"key":\#(ZipkinJSON.quoted(b.key)),"value":\#(b.value.map(ZipkinJSON.quoted) ?? "true")"#
                + (b.endpoint.map { #","endpoint":"# + endpoint($0) } ?? "") + "}"
        }
        if !binary.isEmpty { fields.append(#""binaryAnnotations":[\#(binary.joined(separator: ","))]"#) }
        if span.debug { fields.append(#""debug":true"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func endpoint(_ endpoint: ZipkinEndpoint) -> String { ZipkinJSON.encode(endpoint) }

    /// A v1 JSON span from parts (for `ITDependencies.duplicateAddress`); endpoints are JSON objects.
    static func span(
        traceId: String, parentId: String? = nil, id: String, name: String, timestamp: Int64, duration: Int64,
        annotations: [(Int64, String, String)], addresses: [(String, String)]
    ) -> String {
        var fields = [#""traceId":"\#(traceId)""#]
        if let parentId { fields.append(#""parentId":"\#(parentId)""#) }
        fields += [#""id":"\#(id)""#, #""name":"\#(name)""#, #""timestamp":\#(timestamp)"#, #""duration":\#(duration)"#]
        fields.append(#""annotations":["# + annotations.map { #"{"timestamp":\#($0.0),"value":"\#($0.1)","endpoint":\#($0.2)}"# }.joined(separator: ",") + "]")
        fields.append(#""binaryAnnotations":["# + addresses.map { #"{"key":"\#($0.0)","value":true,"endpoint":\#($0.1)}"# }.joined(separator: ",") + "]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    // MARK: Thrift (TBinaryProtocol)

    static func thrift(_ spans: [ZipkinSpan]) -> [UInt8] {
        var out = ByteSink()
        out.listHeader(element: 12, count: spans.count)
        for span in spans { thrift(convert(span), into: &out) }
        return out.bytes
    }

    static func thrift(_ span: Span, into out: inout ByteSink) {
        let id = { (hex: String) in Int64(bitPattern: UInt64(hex.suffix(16), radix: 16) ?? 0) }
        out.field(10, 1)
        out.i64(id(span.traceId))
        out.field(11, 3)
        out.string(span.name)
        out.field(10, 4)
        out.i64(id(span.id))
        if let parentId = span.parentId {
            out.field(10, 5)
            out.i64(id(parentId))
        }
        out.field(15, 6)
        out.listHeader(element: 12, count: span.annotations.count)
        for annotation in span.annotations {
            out.field(10, 1)
            out.i64(annotation.timestamp)
            out.field(11, 2)
            out.string(annotation.value)
            if let endpoint = annotation.endpoint { thrift(endpoint, field: 3, into: &out) }
            out.bytes.append(0)
        }
        out.field(15, 8)
        out.listHeader(element: 12, count: span.binaryAnnotations.count)
        for binary in span.binaryAnnotations {
            out.field(11, 1)
            out.string(binary.key)
            out.field(11, 2)
            if let value = binary.value { out.string(value) } else { out.blob([1]) }
            out.field(8, 3)
            out.i32(binary.value == nil ? 0 : 6)  // BOOL or STRING
            if let endpoint = binary.endpoint { thrift(endpoint, field: 4, into: &out) }
            out.bytes.append(0)
        }
        if span.debug {
            out.field(2, 9)
            out.bytes.append(1)
        }
        if let timestamp = span.timestamp {
            out.field(10, 10)
            out.i64(timestamp)
        }
        if let duration = span.duration {
            out.field(10, 11)
            out.i64(duration)
        }
        if span.traceId.count == 32 {
            out.field(10, 12)
            out.i64(Int64(bitPattern: UInt64(span.traceId.prefix(16), radix: 16) ?? 0))
        }
        out.bytes.append(0)
    }

    static func thrift(_ endpoint: ZipkinEndpoint, field: Int16, into out: inout ByteSink) {
        out.field(12, field)
        out.field(8, 1)
        out.i32(Int32(bitPattern: endpoint.ipv4.map { IPAddress.bytes($0, family: AF_INET).reduce(0) { $0 << 8 | UInt32($1) } } ?? 0))
        out.field(6, 2)
        out.i16(Int16(truncatingIfNeeded: endpoint.port ?? 0))
        out.field(11, 3)
        out.string(endpoint.serviceName ?? "")
        if let ipv6 = endpoint.ipv6 {
            out.field(11, 4)
            out.blob(IPAddress.bytes(ipv6, family: AF_INET6))
        }
        out.bytes.append(0)
    }
}

/// Zipkin's proto3 `ListOfSpans` (`zipkin.proto`), hand-encoded for the collector cases.
enum ZipkinProto3 {
    static func encode(_ spans: [ZipkinSpan]) -> [UInt8] {
        var out = ByteSink()
        for span in spans { out.message(1, encode(span)) }
        return out.bytes
    }

    static func encode(_ span: ZipkinSpan) -> [UInt8] {
        var out = ByteSink()
        out.lengthDelimited(1, hexBytes(span.traceId))
        if let parentId = span.parentId { out.lengthDelimited(2, hexBytes(parentId)) }
        out.lengthDelimited(3, hexBytes(span.id))
        if let kind = span.kind { out.varintField(4, UInt64(["CLIENT": 1, "SERVER": 2, "PRODUCER": 3, "CONSUMER": 4][kind.rawValue]!)) }
        if let name = span.name { out.lengthDelimited(5, Array(name.utf8)) }
        if let timestamp = span.timestamp {
            out.varint(6 << 3 | 1)
            out.fixed64(UInt64(timestamp))
        }
        if let duration = span.duration { out.varintField(7, UInt64(duration)) }
        if let local = span.localEndpoint { out.message(8, encode(local)) }
        if let remote = span.remoteEndpoint { out.message(9, encode(remote)) }
        for annotation in span.annotations {
            var entry = ByteSink()
            entry.varint(1 << 3 | 1)
            entry.fixed64(UInt64(annotation.timestamp))
            entry.lengthDelimited(2, Array(annotation.value.utf8))
            out.message(10, entry.bytes)
        }
        for (key, value) in span.tags.sorted(by: { $0.key < $1.key }) {
            var entry = ByteSink()
            entry.lengthDelimited(1, Array(key.utf8))
            entry.lengthDelimited(2, Array(value.utf8))
            out.message(11, entry.bytes)
        }
        if span.debug { out.varintField(12, 1) }
        if span.shared { out.varintField(13, 1) }
        return out.bytes
    }

    static func encode(_ endpoint: ZipkinEndpoint) -> [UInt8] {
        var out = ByteSink()
        if let name = endpoint.serviceName { out.lengthDelimited(1, Array(name.utf8)) }
        if let ipv4 = endpoint.ipv4 { out.lengthDelimited(2, IPAddress.bytes(ipv4, family: AF_INET)) }
        if let ipv6 = endpoint.ipv6 { out.lengthDelimited(3, IPAddress.bytes(ipv6, family: AF_INET6)) }
        if let port = endpoint.port { out.varintField(4, UInt64(port)) }
        return out.bytes
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}

/// Big-endian thrift primitives and protobuf varints appended to one buffer.
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func field(_ type: UInt8, _ id: Int16) {
        bytes.append(type)
        i16(id)
    }
    mutating func i16(_ value: Int16) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
    mutating func i32(_ value: Int32) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
    mutating func i64(_ value: Int64) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
    mutating func blob(_ value: [UInt8]) {
        i32(Int32(value.count))
        bytes += value
    }
    mutating func string(_ value: String) { blob(Array(value.utf8)) }
    mutating func listHeader(element: UInt8, count: Int) {
        bytes.append(element)
        i32(Int32(count))
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
    mutating func fixed64(_ value: UInt64) { bytes += withUnsafeBytes(of: value.littleEndian, Array.init) }
    mutating func varintField(_ number: UInt64, _ value: UInt64) {
        varint(number << 3)
        varint(value)
    }
    mutating func lengthDelimited(_ number: UInt64, _ value: [UInt8]) {
        varint(number << 3 | 2)
        varint(UInt64(value.count))
        bytes += value
    }
    mutating func message(_ number: UInt64, _ value: [UInt8]) { lengthDelimited(number, value) }
}

enum IPAddress {
    /// `inet_pton` of a literal address: 4 bytes for `AF_INET`, 16 for `AF_INET6`.
    static func bytes(_ text: String, family: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: family == AF_INET ? 4 : 16)
        let ok = buffer.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        precondition(ok == 1, "BUG: test fixture \(text) is not an IP address")
        return buffer
    }
}
