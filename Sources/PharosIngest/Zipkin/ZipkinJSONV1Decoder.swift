public import PharosCore

/// Decodes the body of `POST /api/v1/spans` (v1 JSON) into v2 `Span`s, as zipkin-server stores it.
///
/// Reading follows `V1JsonSpanReader`: ids through `HexCodec.lowerHexToUnsignedLong` (1–32 characters,
/// `… should be a 1 to 32 character lower-hex string with no prefix`; only a 32-character trace id keeps its
/// upper half), `traceId == 0` / `id == 0` rejected, names lower-cased, annotations need timestamp and value,
/// binary annotations need a key (`No key at …`) and keep string values as tags and `true` values of
/// `ca`/`sa`/`ma` with an endpoint as addresses. Conversion follows `V1SpanConverter`
/// (`ZipkinV1SpanConverter`): cs/sr/ss/cr/ms/mr/ws/wr give kinds, timestamps and durations, one v1 span can
/// become a client span and a shared server span. Errors end with `reading List<Span> from json`. Pure.
public enum ZipkinJSONV1Decoder: ZipkinSpanDecoder {
    /// Appends the spans of `body` to `spans`.
    public static func decode(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError) {
        try ZipkinJSONReader.decodeList(body, into: &spans) { (reader, spans) throws(ZipkinJSONCursor.Failure) in
            try reader.v1List(into: &spans)
        }
    }
}

extension ZipkinJSONReader {
    mutating func v1List(into spans: inout [Span]) throws(ZipkinJSONCursor.Failure) {
        guard try cursor.peek() == 0x5B else { throw .wrongType("BEGIN_ARRAY", cursor.pos) }
        cursor.pos += 1
        if try cursor.consume(0x5D) { return }
        var index = 0
        repeat {
            path.enterSpan(index)
            var v1 = try v1Span()
            do {
                try v1.validateAndSort()
                try ZipkinV1SpanConverter.convert(v1, into: &spans)
            } catch {
                throw .message(error.message)
            }
            index += 1
        } while try cursor.next(close: 0x5D)
    }

    mutating func v1Span() throws(ZipkinJSONCursor.Failure) -> ZipkinV1Span {
        guard try cursor.peek() == 0x7B else { throw .malformed(cursor.pos) }
        cursor.pos += 1
        var s = ZipkinV1Span()
        if try cursor.consume(0x7D) { return s }
        repeat {
            let name = try memberName()
            path.field = name.start..<name.end
            if matches(name, "traceId") {
                (s.traceIdHigh, s.traceIdLow, _) = try id(ZipkinV1Span.traceId)
                continue
            }
            if matches(name, "id") {
                s.id = try id(ZipkinV1Span.lowerHexToUnsignedLong)
                continue
            }
            if try cursor.consumeNull() { continue }
            if matches(name, "name") {
                s.name = try lowercasedName()
            } else if matches(name, "parentId") {
                s.parentId = try id(ZipkinV1Span.lowerHexToUnsignedLong)
            } else if matches(name, "timestamp") {
                s.timestampUs = try cursor.long()
            } else if matches(name, "duration") {
                s.durationUs = try cursor.long()
            } else if matches(name, "annotations") {
                try v1Annotations(&s)
            } else if matches(name, "binaryAnnotations") {
                try v1BinaryAnnotations(&s)
            } else if matches(name, "debug") {
                if try cursor.bool() { s.debug = true }
            } else {
                try cursor.skipValue()
            }
        } while try cursor.next(close: 0x7D)
        path.field = nil
        return s
    }

    mutating func v1Annotations(_ s: inout ZipkinV1Span) throws(ZipkinJSONCursor.Failure) {
        var timestamp: Int64? = nil
        var value: String? = nil
        var endpoint: Endpoint? = nil
        try objects(
            begin: {
                timestamp = nil
                value = nil
                endpoint = nil
            },
            member: { (reader, name) throws(ZipkinJSONCursor.Failure) in
                if reader.matches(name, "timestamp") {
                    timestamp = try reader.cursor.long()
                } else if reader.matches(name, "value") {
                    value = try reader.text()
                } else if reader.matches(name, "endpoint"), try reader.cursor.peek() != 0x6E {
                    endpoint = try reader.endpoint()
                } else {
                    try reader.cursor.skipValue()
                }
            },
            end: { (reader) throws(ZipkinJSONCursor.Failure) in
                guard let timestamp, let value else { throw .message("Incomplete annotation at \(reader.path.text(reader.cursor))") }
                s.annotations.append(.init(timestampUs: timestamp, value: value, endpoint: endpoint))
            })
    }

    mutating func v1BinaryAnnotations(_ s: inout ZipkinV1Span) throws(ZipkinJSONCursor.Failure) {
        var key: String? = nil
        var stringValue: String? = nil
        var boolValue: Bool? = nil
        var endpoint: Endpoint? = nil
        try objects(
            begin: {
                key = nil
                stringValue = nil
                boolValue = nil
                endpoint = nil
            },
            member: { (reader, name) throws(ZipkinJSONCursor.Failure) in
                if try reader.cursor.consumeNull() { return }
                if reader.matches(name, "key") {
                    key = try reader.text()
                } else if reader.matches(name, "value") {
                    let b = try reader.cursor.peek()
                    if b == 0x22 {
                        stringValue = try reader.text()
                    } else if b == 0x74 || b == 0x66 {
                        boolValue = try reader.cursor.bool()
                    } else {
                        try reader.cursor.skipValue()
                    }
                } else if reader.matches(name, "endpoint") {
                    endpoint = try reader.endpoint()
                } else {
                    try reader.cursor.skipValue()
                }
            },
            end: { (reader) throws(ZipkinJSONCursor.Failure) in
                guard let key else { throw .message("No key at \(reader.path.text(reader.cursor))") }
                if let stringValue {
                    s.binaryAnnotations.append(.init(key: key, stringValue: stringValue, endpoint: endpoint))
                } else if boolValue == true, let endpoint, key == "ca" || key == "sa" || key == "ma" {
                    s.binaryAnnotations.append(.init(key: key, stringValue: nil, endpoint: endpoint))
                }
            })
    }
}
