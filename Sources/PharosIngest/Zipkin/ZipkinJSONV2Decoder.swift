public import PharosCore

/// Decodes the body of `POST /api/v2/spans` (JSON v2, a list of spans) into normalised `Span`s.
///
/// Hand-written over bytes (Foundation's `JSONDecoder` managed 55 k spans/s here; this aims at ≥ 1 M per
/// core). Behaviour follows zipkin's `V2SpanReader` + `JsonCodec.readList` read with Gson:
/// - an empty body, `[]` → no spans; bytes after the closing `]` are ignored (Gson never looks);
/// - the whole body fails on the first bad span (zipkin-server answers 400 and stores nothing), with
///   Zipkin's message and `reading List<Span> from json` appended; syntax errors are `Malformed`;
/// - unknown members are skipped; `null` members are ignored except `traceId` and `id`;
/// - ids, names, endpoints, timestamps, annotations and tags per `ZipkinIDRules`, `ZipkinNames`,
///   `ZipkinIPText` and `ZipkinSpanAssembly`; `kind` must be an exact enum name;
/// - where Gson's `nextString` is used (ids, names, tag values, annotation values) a number is accepted
///   as its literal text; booleans, objects and `null` are errors (`Expected a string but was BOOLEAN`,
///   `No value at $[0].tags.k` for a null tag value); numbers may be quoted (`"timestamp":"1"`).
/// Pure; thread-safe (all state is on the caller's stack).
public enum ZipkinJSONV2Decoder: ZipkinSpanDecoder {
    /// Appends the spans of `body` to `spans`; on error `spans` may hold the spans before the bad one.
    public static func decode(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError) {
        try ZipkinJSONReader.decodeList(body, into: &spans) { (reader, spans) throws(ZipkinJSONCursor.Failure) in
            try reader.list(into: &spans)
        }
    }
}

extension ZipkinJSONReader {
    /// `[` span (`,` span)* `]`.
    mutating func list(into spans: inout [Span]) throws(ZipkinJSONCursor.Failure) {
        guard try cursor.peek() == 0x5B else { throw .wrongType("BEGIN_ARRAY", cursor.pos) }
        cursor.pos += 1
        if try cursor.consume(0x5D) { return }
        var index = 0
        repeat {
            path.enterSpan(index)
            var span = ZipkinSpanAssembly.emptySpan
            var assembly = ZipkinSpanAssembly()
            try self.span(&span, &assembly)
            do throws(ZipkinIDRules.Failure) { try assembly.finish(&span) } catch { throw .message(error.message) }
            spans.append(consume span)
            index += 1
        } while try cursor.next(close: 0x5D)
    }

    /// One span object into `s`.
    mutating func span(_ s: inout Span, _ a: inout ZipkinSpanAssembly) throws(ZipkinJSONCursor.Failure) {
        guard try cursor.peek() == 0x7B else { throw .malformed(cursor.pos) }
        cursor.pos += 1
        if try cursor.consume(0x7D) { return }
        repeat {
            let name = try memberName()
            path.field = name.start..<name.end
            try member(name, &s, &a)
        } while try cursor.next(close: 0x7D)
        path.field = nil
        a.tagsInOrder = keyOrder.inOrder
        keyOrder.reset()
        s.tags = tags.take()
        s.annotations = annotations.take()
    }

    @inline(__always)
    mutating func member(
        _ name: ZipkinJSONCursor.StringToken, _ s: inout Span, _ a: inout ZipkinSpanAssembly
    ) throws(ZipkinJSONCursor.Failure) {
        if matches(name, "traceId") {
            a.setTraceId(try id(ZipkinIDRules.traceId), of: &s)
            return
        }
        if matches(name, "id") {
            a.setId(try id(ZipkinIDRules.spanId), of: &s)
            return
        }
        if try cursor.consumeNull() { return }
        if matches(name, "parentId") {
            s.parentId = try id(ZipkinIDRules.parentId)
        } else if matches(name, "kind") {
            s.kind = try kind()
        } else if matches(name, "name") {
            s.name = try lowercasedName()
        } else if matches(name, "timestamp") {
            s.timestampUs = ZipkinSpanAssembly.micros(try cursor.long())
        } else if matches(name, "duration") {
            s.durationUs = ZipkinSpanAssembly.micros(try cursor.long())
        } else if matches(name, "localEndpoint") {
            s.localEndpoint = ZipkinSpanAssembly.endpoint(try endpoint())
        } else if matches(name, "remoteEndpoint") {
            s.remoteEndpoint = ZipkinSpanAssembly.endpoint(try endpoint())
        } else if matches(name, "annotations") {
            try annotationList()
        } else if matches(name, "tags") {
            try tagObject()
        } else if matches(name, "debug") {
            if try cursor.bool() { s.debug = true }
        } else if matches(name, "shared") {
            if try cursor.bool() { s.shared = true }
        } else {
            try cursor.skipValue()
        }
    }
}
