import PharosCore

/// The `Span`, `Endpoint`, `Annotation` and tag-entry messages of `zipkin.proto`.
extension ZipkinProto3Reader {
    /// One `Span` message ending at `limit` (`Proto3ZipkinFields.SpanField.readValue`), appended to `spans`.
    mutating func span(until limit: Int, into spans: inout [Span]) throws(Failure) {
        var span = ZipkinSpanAssembly.emptySpan
        var assembly = ZipkinSpanAssembly()
        try fields(until: limit, &span, &assembly)
        do throws(ZipkinIDRules.Failure) { try assembly.finish(&span) } catch { throw Failure(message: error.message) }
        spans.append(consume span)
    }

    /// The fields of a `Span` message into `s`.
    mutating func fields(until limit: Int, _ s: inout Span, _ a: inout ZipkinSpanAssembly) throws(Failure) {
        while pos < limit {
            let key = try varint32()
            switch key {
            case 0x0A:  // trace_id
                guard let p = try id() else { throw Failure(message: "traceId == null") }
                if p.length > 32 { throw Failure(message: "traceId.length > 32") }
                a.setTraceId(try rule { () throws(ZipkinIDRules.Failure) in try ZipkinIDRules.traceId(p) }, of: &s)
            case 0x12:  // parent_id
                guard let p = try id() else { s.parentId = 0; break }
                if p.length > 16 { throw Failure(message: "parentId.length > 16") }
                s.parentId = p.low
            case 0x1A:  // id
                guard let p = try id() else { throw Failure(message: "id == null") }
                if p.length > 16 { throw Failure(message: "id.length > 16") }
                if p.low == 0 && p.length == 16 { throw Failure(message: "id is all zeros") }
                a.setId(p.low, of: &s)
            case 0x20:  // kind
                let k = try varint32()
                if let kind = SpanKind(rawValue: UInt8(truncatingIfNeeded: k)), k <= 4 { s.kind = kind }
            case 0x2A: s.name = try name()
            case 0x31: s.timestampUs = ZipkinSpanAssembly.micros(Int64(bitPattern: try fixed64()))
            case 0x38: s.durationUs = ZipkinSpanAssembly.micros(Int64(bitPattern: try varint64()))
            case 0x42: s.localEndpoint = ZipkinSpanAssembly.endpoint(try endpoint())
            case 0x4A: s.remoteEndpoint = ZipkinSpanAssembly.endpoint(try endpoint())
            case 0x52: try annotation()
            case 0x5A: try tag()
            case 0x60: if try bool() { s.debug = true }
            case 0x68: if try bool() { s.shared = true }
            default: try skip(key)
            }
        }
        if pos != limit { throw Failure(message: "Malformed: span overran its length at byte \(pos)") }
        a.tagsInOrder = keyOrder.inOrder
        keyOrder.reset()
        s.tags = tags.take()
        s.annotations = annotations.take()
    }

    /// Runs one of `ZipkinIDRules`, turning its failure into this reader's.
    @inline(__always)
    func rule<T>(_ body: () throws(ZipkinIDRules.Failure) -> T) throws(Failure) -> T {
        do { return try body() } catch { throw Failure(message: error.message) }
    }

    @inline(__always)
    mutating func name() throws(Failure) -> String? {
        let (start, n) = try bytes()
        return strings.name(base + start, n)
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
        var key: (start: Int, count: Int)? = nil
        var value = ""
        while pos < limit {
            let k = try varint32()
            switch k {
            case 0x0A: key = try bytes()
            case 0x12: value = try string()
            default: try skip(k)
            }
        }
        if pos != limit { throw Failure(message: "Malformed: tag overran its length at byte \(pos)") }
        guard let key else { return }
        keyOrder.see(base + key.start, key.count)
        tags.append(SpanTag(key: strings.text(base + key.start, key.count), value: value))
    }
}
