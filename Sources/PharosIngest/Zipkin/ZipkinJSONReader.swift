import PharosCore

/// The state of one JSON decode: a cursor, the current path, scratch lists for a span's tags and
/// annotations (`ZipkinMoveBuffer`), and the body's strings (`ZipkinStringTable`). Parts shared by the v1 and v2 readers live here (key matching, text, endpoints).
/// Not thread-safe; one per decode call.
struct ZipkinJSONReader {
    var cursor: ZipkinJSONCursor
    var path = ZipkinJSONPath()
    /// The span's tags and annotations being read, moved into the span at its end.
    let tags = ZipkinMoveBuffer<SpanTag>()
    let annotations = ZipkinMoveBuffer<SpanAnnotation>()
    var keyOrder = ZipkinKeyOrder()
    let strings = ZipkinStringTable()

    init(_ body: UnsafeRawBufferPointer) {
        cursor = ZipkinJSONCursor(body)
    }

    /// True when the name token equals `name` (names with escapes are compared after unescaping).
    @inline(__always)
    func matches(_ t: ZipkinJSONCursor.StringToken, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        if t.escaped {
            guard let s = try? cursor.text(t) else { return false }
            return s.utf8.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: n))
        }
        guard t.end - t.start == n else { return false }
        let p = cursor.base + t.start
        let q = name.utf8Start
        for i in 0..<n where p[i] != q[i] { return false }
        return true
    }

    /// Reads `"name":`, leaving the cursor at the value; records the name for error paths.
    @inline(__always)
    mutating func memberName() throws(ZipkinJSONCursor.Failure) -> ZipkinJSONCursor.StringToken {
        let t = try cursor.stringRange()
        try cursor.expect(0x3A)
        return t
    }

    /// `V2SpanReader.ENDPOINT_READER`: null members skipped, `ipv4` and `ipv6` both go through `parseIp`
    /// (bad addresses dropped silently), `port` through `Endpoint.Builder.port(int)`. Nil when no known
    /// member was read or nothing is known (`EMPTY_ENDPOINT`).
    mutating func endpoint() throws(ZipkinJSONCursor.Failure) -> Endpoint? {
        guard try cursor.peek() == 0x7B else { throw .wrongType("BEGIN_OBJECT", cursor.pos) }
        cursor.pos += 1
        var e = Endpoint()
        if try cursor.consume(0x7D) { return nil }
        repeat {
            let name = try memberName()
            path.member = name.start..<name.end
            if try cursor.consumeNull() { continue }
            if matches(name, "serviceName") {
                e.serviceName = try lowercasedName()
            } else if matches(name, "ipv4") || matches(name, "ipv6") {
                let t = try cursor.rawString()
                let address: ZipkinIPText.Address?
                if t.escaped {
                    address = ZipkinIPText.parse(try cursor.text(t))
                } else {
                    address = ZipkinIPText.parse(UnsafeBufferPointer(start: cursor.base + t.start, count: t.end - t.start))
                }
                switch address {
                case .v4(let v)?: e.ipv4 = v
                case .v6(let v)?: e.ipv6 = v
                case nil: break
                }
            } else if matches(name, "port") {
                let port = try cursor.int()
                if port > 0xFFFF { throw .message("invalid port \(port)") }
                e.port = port <= 0 ? 0 : UInt16(port)
            } else {
                try cursor.skipValue()
            }
        } while try cursor.next(close: 0x7D)
        path.member = nil
        return e.isEmpty ? nil : e
    }

    /// `[ {…}, … ]`: for each object, `begin` resets the caller's fields, `member` reads one member (the path
    /// is kept current for Zipkin's messages), and `end` checks and keeps the object.
    mutating func objects(
        begin: () -> Void,
        member: (inout ZipkinJSONReader, ZipkinJSONCursor.StringToken) throws(ZipkinJSONCursor.Failure) -> Void,
        end: (inout ZipkinJSONReader) throws(ZipkinJSONCursor.Failure) -> Void
    ) throws(ZipkinJSONCursor.Failure) {
        guard try cursor.peek() == 0x5B else { throw .wrongType("BEGIN_ARRAY", cursor.pos) }
        cursor.pos += 1
        if try cursor.consume(0x5D) { return }
        var index = 0
        repeat {
            path.element = index
            guard try cursor.peek() == 0x7B else { throw .malformed(cursor.pos) }
            cursor.pos += 1
            begin()
            path.inEmptyMember = true
            if try !cursor.consume(0x7D) {
                repeat {
                    let name = try memberName()
                    path.member = name.start..<name.end
                    try member(&self, name)
                } while try cursor.next(close: 0x7D)
            }
            try end(&self)
            path.member = nil
            path.inEmptyMember = false
            index += 1
        } while try cursor.next(close: 0x5D)
        path.element = -1
    }
}
