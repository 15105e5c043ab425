import PharosCodec
import PharosCore

/// The binary form of a `Span` in the span WAL and in span partitions: compact, symmetric, self-delimiting.
///
/// ```
/// flags u8 (1 128-bit trace id · 2 parent · 4 kind · 8 name · 16 local · 32 remote · 64 debug · 128 shared)
/// [traceIdHigh u64] traceIdLow u64 [parentId u64] id u64 [kind u8] [name str]
/// timestampUs zz · durationUs varint · [local endpoint] [remote endpoint]
/// annotations varint × (timestampUs − span timestamp zz, value str) · tags varint × (key str, value str)
/// endpoint: flags u8 (1 service · 2 ipv4 · 4 ipv6 · 8 port) [service str] [ipv4 u32] [ipv6 2×u64] [port u16]
/// str: length varint, UTF-8 bytes
/// ```
enum SpanRecordCodec {
    static func encode(_ span: Span, into w: inout ByteWriter) {
        var flags: UInt8 = 0
        if span.traceIdIs128Bit { flags |= 1 }
        if span.parentId != 0 { flags |= 2 }
        if span.kind != nil { flags |= 4 }
        if span.name != nil { flags |= 8 }
        if span.localEndpoint != nil { flags |= 16 }
        if span.remoteEndpoint != nil { flags |= 32 }
        if span.debug { flags |= 64 }
        if span.shared { flags |= 128 }
        w.writeUInt8(flags)
        if span.traceIdIs128Bit { w.writeUInt64LE(span.traceIdHigh) }
        w.writeUInt64LE(span.traceIdLow)
        if span.parentId != 0 { w.writeUInt64LE(span.parentId) }
        w.writeUInt64LE(span.id)
        if let kind = span.kind { w.writeUInt8(kind.rawValue) }
        if let name = span.name { writeString(name, into: &w) }
        w.writeZigZag(span.timestampUs)
        w.writeVarint(UInt64(bitPattern: span.durationUs))
        if let endpoint = span.localEndpoint { encode(endpoint, into: &w) }
        if let endpoint = span.remoteEndpoint { encode(endpoint, into: &w) }
        w.writeVarint(UInt64(span.annotations.count))
        for annotation in span.annotations {
            w.writeZigZag(annotation.timestampUs &- span.timestampUs)
            writeString(annotation.value, into: &w)
        }
        w.writeVarint(UInt64(span.tags.count))
        for tag in span.tags {
            writeString(tag.key, into: &w)
            writeString(tag.value, into: &w)
        }
    }

    static func decode(_ r: inout ByteReader) throws(CodecError) -> Span {
        let flags = try r.readUInt8()
        let high = flags & 1 != 0 ? try r.readUInt64LE() : 0
        let low = try r.readUInt64LE()
        let parent = flags & 2 != 0 ? try r.readUInt64LE() : 0
        let id = try r.readUInt64LE()
        var kind: SpanKind?
        if flags & 4 != 0 {
            let raw = try r.readUInt8()
            guard let decoded = SpanKind(rawValue: raw) else { throw CodecError.corrupt("span kind \(raw)") }
            kind = decoded
        }
        let name = flags & 8 != 0 ? try readString(&r) : nil
        let timestamp = try r.readZigZag()
        let duration = Int64(bitPattern: try r.readVarint())
        let local = flags & 16 != 0 ? try decodeEndpoint(&r) : nil
        let remote = flags & 32 != 0 ? try decodeEndpoint(&r) : nil
        var annotations: [SpanAnnotation] = []
        for _ in 0..<(try count(&r)) {
            let t = timestamp &+ (try r.readZigZag())
            annotations.append(SpanAnnotation(timestampUs: t, value: try readString(&r)))
        }
        var tags: [SpanTag] = []
        for _ in 0..<(try count(&r)) {
            let key = try readString(&r)
            tags.append(SpanTag(key: key, value: try readString(&r)))
        }
        return Span(
            traceIdHigh: high, traceIdLow: low, traceIdIs128Bit: flags & 1 != 0, parentId: parent, id: id, kind: kind, name: name,
            timestampUs: timestamp, durationUs: duration, localEndpoint: local, remoteEndpoint: remote, annotations: annotations,
            tags: tags, debug: flags & 64 != 0, shared: flags & 128 != 0)
    }

    static func encode(_ endpoint: Endpoint, into w: inout ByteWriter) {
        var flags: UInt8 = 0
        if endpoint.serviceName != nil { flags |= 1 }
        if endpoint.ipv4 != nil { flags |= 2 }
        if endpoint.ipv6 != nil { flags |= 4 }
        if endpoint.port != 0 { flags |= 8 }
        w.writeUInt8(flags)
        if let service = endpoint.serviceName { writeString(service, into: &w) }
        if let ipv4 = endpoint.ipv4 { w.writeUInt32LE(ipv4) }
        if let ipv6 = endpoint.ipv6 {
            w.writeUInt64LE(ipv6.high)
            w.writeUInt64LE(ipv6.low)
        }
        if endpoint.port != 0 { w.writeUInt16LE(endpoint.port) }
    }

    static func decodeEndpoint(_ r: inout ByteReader) throws(CodecError) -> Endpoint {
        let flags = try r.readUInt8()
        let service = flags & 1 != 0 ? try readString(&r) : nil
        let ipv4 = flags & 2 != 0 ? try r.readUInt32LE() : nil
        var ipv6: IPv6Address?
        if flags & 4 != 0 {
            let high = try r.readUInt64LE()
            ipv6 = IPv6Address(high: high, low: try r.readUInt64LE())
        }
        let port = flags & 8 != 0 ? try r.readUInt16LE() : 0
        return Endpoint(serviceName: service, ipv4: ipv4, ipv6: ipv6, port: port)
    }

    static func writeString(_ text: String, into w: inout ByteWriter) {
        var text = text
        text.withUTF8 { utf8 in
            w.writeVarint(UInt64(utf8.count))
            w.writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }

    static func readString(_ r: inout ByteReader) throws(CodecError) -> String {
        let length = try count(&r)
        return String(decoding: try r.readBytes(length), as: UTF8.self)
    }

    /// A count or length, refused when it cannot fit in what is left (so garbage cannot ask for gigabytes).
    static func count(_ r: inout ByteReader) throws(CodecError) -> Int {
        let value = try r.readVarint()
        guard value <= UInt64(r.remaining) else { throw CodecError.corrupt("count \(value) exceeds the \(r.remaining) bytes left") }
        return Int(value)
    }
}
