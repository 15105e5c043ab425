import PharosCodec
import PharosCore

/// The per-partition dictionary of a span partition: every service, span name and tag key, the tag and
/// annotation values that occur more than once, and every distinct endpoint, each stored once and referred
/// to by index from the span blocks. This is most of why a sealed span costs tens of bytes, not hundreds.
struct SpanDictionary {
    private(set) var strings: [String] = []
    private(set) var endpoints: [Endpoint] = []
    /// A decoded dictionary keeps its strings as bytes and makes a `String` when one is read: decoding is one
    /// pass, and an idle partition's dictionary costs its size, not one heap object per value.
    private var raw: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private var isRaw = false
    private var stringIndex: [String: Int] = [:]
    private var endpointIndex: [Endpoint: Int] = [:]

    /// Builds the dictionary for `spans`: names and keys always, values only when they repeat.
    init(for spans: [Span]) {
        var valueCounts: [String: Int] = [:]
        for span in spans {
            if let name = span.name { intern(name) }
            if let local = span.localEndpoint { internEndpoint(local) }
            if let remote = span.remoteEndpoint { internEndpoint(remote) }
            for tag in span.tags {
                intern(tag.key)
                valueCounts[tag.value, default: 0] += 1
            }
            for annotation in span.annotations { valueCounts[annotation.value, default: 0] += 1 }
        }
        for (value, count) in valueCounts where count > 1 { intern(value) }
    }

    init(strings: [String], endpoints: [Endpoint]) {
        self.strings = strings
        self.endpoints = endpoints
    }

    private mutating func intern(_ text: String) {
        if stringIndex[text] == nil {
            stringIndex[text] = strings.count
            strings.append(text)
        }
    }

    private mutating func internEndpoint(_ endpoint: Endpoint) {
        if let service = endpoint.serviceName { intern(service) }
        if endpointIndex[endpoint] == nil {
            endpointIndex[endpoint] = endpoints.count
            endpoints.append(endpoint)
        }
    }

    func index(of text: String) -> Int? { stringIndex[text] }
    func index(of endpoint: Endpoint) -> Int? { endpointIndex[endpoint] }

    /// A string that may or may not be in the dictionary: `index << 1`, or `length << 1 | 1` and the bytes.
    func writeValue(_ text: String, into w: inout ByteWriter) {
        if let index = stringIndex[text] {
            w.writeVarint(UInt64(index) << 1)
        } else {
            var text = text
            text.withUTF8 { utf8 in
                w.writeVarint(UInt64(utf8.count) << 1 | 1)
                w.writeBytes(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    func readValue(_ r: inout ByteReader) throws(CodecError) -> String {
        let tagged = try r.readVarint()
        if tagged & 1 == 0 { return try string(Int(tagged >> 1)) }
        let length = Int(tagged >> 1)
        guard length <= r.remaining else { throw CodecError.corrupt("value of \(length) bytes exceeds the \(r.remaining) left") }
        return String(decoding: try r.readBytes(length), as: UTF8.self)
    }

    func string(_ index: Int) throws(CodecError) -> String {
        guard index >= 0, index < (isRaw ? ranges.count : strings.count) else {
            throw CodecError.corrupt("string index \(index) outside the dictionary")
        }
        guard isRaw else { return strings[index] }
        return raw.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[ranges[index]]), as: UTF8.self) }
    }

    func readString(_ r: inout ByteReader) throws(CodecError) -> String { try string(Int(clamping: try r.readVarint())) }

    func readEndpoint(_ r: inout ByteReader) throws(CodecError) -> Endpoint {
        let index = Int(clamping: try r.readVarint())
        guard index < endpoints.count else { throw CodecError.corrupt("endpoint index \(index) outside the dictionary") }
        return endpoints[index]
    }

    /// `strings varint × (length varint, UTF-8)`, then `endpoints varint × (flags u8, [service index varint],
    /// [ipv4 u32], [ipv6 2×u64], [port u16])`.
    func encode(into w: inout ByteWriter) {
        w.writeVarint(UInt64(strings.count))
        for text in strings { SpanRecordCodec.writeString(text, into: &w) }
        w.writeVarint(UInt64(endpoints.count))
        for endpoint in endpoints {
            var flags: UInt8 = 0
            if endpoint.serviceName != nil { flags |= 1 }
            if endpoint.ipv4 != nil { flags |= 2 }
            if endpoint.ipv6 != nil { flags |= 4 }
            if endpoint.port != 0 { flags |= 8 }
            w.writeUInt8(flags)
            if let service = endpoint.serviceName { w.writeVarint(UInt64(stringIndex[service]!)) }
            if let ipv4 = endpoint.ipv4 { w.writeUInt32LE(ipv4) }
            if let ipv6 = endpoint.ipv6 {
                w.writeUInt64LE(ipv6.high)
                w.writeUInt64LE(ipv6.low)
            }
            if endpoint.port != 0 { w.writeUInt16LE(endpoint.port) }
        }
    }

    static func decode(_ bytes: [UInt8]) throws(CodecError) -> SpanDictionary {
        var r = ByteReader(bytes)
        var dictionary = SpanDictionary(strings: [], endpoints: [])
        dictionary.isRaw = true
        dictionary.raw = bytes
        let stringCount = try SpanRecordCodec.count(&r)
        dictionary.ranges.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = try SpanRecordCodec.count(&r)
            dictionary.ranges.append(r.offset..<(r.offset + length))
            try r.skip(length)
        }
        let endpointCount = try SpanRecordCodec.count(&r)
        for _ in 0..<endpointCount {
            let flags = try r.readUInt8()
            let service = flags & 1 != 0 ? try dictionary.readString(&r) : nil
            let ipv4 = flags & 2 != 0 ? try r.readUInt32LE() : nil
            var ipv6: IPv6Address?
            if flags & 4 != 0 {
                let high = try r.readUInt64LE()
                ipv6 = IPv6Address(high: high, low: try r.readUInt64LE())
            }
            let port = flags & 8 != 0 ? try r.readUInt16LE() : 0
            dictionary.endpoints.append(Endpoint(serviceName: service, ipv4: ipv4, ipv6: ipv6, port: port))
        }
        return dictionary
    }
}
