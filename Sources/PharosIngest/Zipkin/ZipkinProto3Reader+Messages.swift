import PharosCore

/// The `Span`, `Endpoint`, `Annotation` and tag-entry messages of `zipkin.proto`.
extension ZipkinProto3Reader {
    /// One `Span` message ending at `limit` (`Proto3ZipkinFields.SpanField.readValue`).
    mutating func span(until limit: Int) throws(Failure) -> Span {
        var a = ZipkinSpanAssembly()
        do {
            while pos < limit {
                let key = try varint32()
                switch key {
                case 0x0A:  // trace_id
                    guard let p = try id() else { throw Failure(message: "traceId == null") }
                    if p.length > 32 { throw Failure(message: "traceId.length > 32") }
                    a.setTraceId(try ZipkinIDRules.traceId(p))
                case 0x12:  // parent_id
                    guard let p = try id() else { a.span.parentId = 0; break }
                    if p.length > 16 { throw Failure(message: "parentId.length > 16") }
                    a.span.parentId = p.low
                case 0x1A:  // id
                    guard let p = try id() else { throw Failure(message: "id == null") }
                    if p.length > 16 { throw Failure(message: "id.length > 16") }
                    if p.low == 0 && p.length == 16 { throw Failure(message: "id is all zeros") }
                    a.setId(p.low)
                case 0x20:  // kind
                    let k = try varint32()
                    if let kind = SpanKind(rawValue: UInt8(truncatingIfNeeded: k)), k <= 4 { a.span.kind = kind }
                case 0x2A: a.span.name = try name()
                case 0x31: a.setTimestamp(Int64(bitPattern: try fixed64()))
                case 0x38: a.setDuration(Int64(bitPattern: try varint64()))
                case 0x42: a.setLocalEndpoint(try endpoint())
                case 0x4A: a.setRemoteEndpoint(try endpoint())
                case 0x52: try annotation()
                case 0x5A: try tag()
                case 0x60: if try bool() { a.span.debug = true }
                case 0x68: if try bool() { a.span.shared = true }
                default: try skip(key)
                }
            }
        } catch let f as ZipkinIDRules.Failure {
            throw Failure(message: f.message)
        } catch let f as Failure {
            throw f
        } catch {
            preconditionFailure("BUG: unexpected error \(error)")
        }
        if pos != limit { throw Failure(message: "Malformed: span overran its length at byte \(pos)") }
        ZipkinSpanAssembly.move(&tags, into: &a.span.tags)
        ZipkinSpanAssembly.move(&annotations, into: &a.span.annotations)
        do { return try a.build() } catch { throw Failure(message: error.message) }
    }

    @inline(__always)
    mutating func name() throws(Failure) -> String? {
        let (start, n) = try bytes()
        return ZipkinNames.lowercased(base + start, n)
    }

    /// `EndpointField.readValue`; nil for an empty message.
    mutating func endpoint() throws(Failure) -> Endpoint? {
        let n = try length()
        let limit = pos + n
        var e = Endpoint()
        while pos < limit {
            let key = try varint32()
            switch key {
            case 0x0A: e.serviceName = try name()
            case 0x12, 0x1A:
                let (start, count) = try bytes()
                switch ZipkinIPText.address(bytes: UnsafeBufferPointer(start: base + start, count: count)) {
                case .v4(let v)?: e.ipv4 = v
                case .v6(let v)?: e.ipv6 = v
                case nil: break
                }
            case 0x20:
                let port = Int32(bitPattern: try varint32())
                if port > 0xFFFF { throw Failure(message: "invalid port \(port)") }
                e.port = port <= 0 ? 0 : UInt16(port)
            default: try skip(key)
            }
        }
        if pos != limit { throw Failure(message: "Malformed: endpoint overran its length at byte \(pos)") }
        return e
    }

    /// `AnnotationField`: dropped unless it has a non-zero timestamp and a value.
    mutating func annotation() throws(Failure) {
        let n = try length()
        let limit = pos + n
        var timestamp: Int64 = 0
        var value: String? = nil
        while pos < limit {
            let key = try varint32()
            switch key {
            case 0x09: timestamp = Int64(bitPattern: try fixed64())
            case 0x12: value = try string()
            default: try skip(key)
            }
        }
        if pos != limit { throw Failure(message: "Malformed: annotation overran its length at byte \(pos)") }
        if timestamp != 0, let value { annotations.append(SpanAnnotation(timestampUs: timestamp, value: value)) }
    }

    /// A `map<string,string>` entry: dropped without a key; a missing value is `""`.
    mutating func tag() throws(Failure) {
        let n = try length()
        let limit = pos + n
        var key: String? = nil
        var value = ""
        while pos < limit {
            let k = try varint32()
            switch k {
            case 0x0A: key = try string()
            case 0x12: value = try string()
            default: try skip(k)
            }
        }
        if pos != limit { throw Failure(message: "Malformed: tag overran its length at byte \(pos)") }
        if let key { tags.append(SpanTag(key: key, value: value)) }
    }
}
