import PharosCore

/// Span members of the JSON readers: ids, kind, names, annotations and tags.
extension ZipkinJSONReader {
    /// Reads an id with Gson's `nextString` and applies one of `ZipkinIDRules`.
    @inline(__always)
    mutating func id<T>(
        _ rule: (UnsafePointer<UInt8>, Int) throws(ZipkinIDRules.Failure) -> T
    ) throws(ZipkinJSONCursor.Failure) -> T {
        let t = try cursor.rawString()
        var text = t.escaped ? try cursor.text(t) : ""
        let result: Result<T, ZipkinIDRules.Failure>
        if !t.escaped {
            result = Result { () throws(ZipkinIDRules.Failure) in try rule(cursor.base + t.start, t.end - t.start) }
        } else {
            result = text.withUTF8 { p in
                Result { () throws(ZipkinIDRules.Failure) in try rule(p.baseAddress ?? UnsafePointer(bitPattern: 1)!, p.count) }
            }
        }
        switch result {
        case .success(let v): return v
        case .failure(let f): throw .message(f.message)
        }
    }

    /// A lower-cased name (`Span.Builder.name`), nil when empty.
    @inline(__always)
    mutating func lowercasedName() throws(ZipkinJSONCursor.Failure) -> String? {
        let t = try cursor.rawString()
        if t.escaped { return ZipkinNames.lowercased(try cursor.text(t)) }
        return strings.name(cursor.base + t.start, t.end - t.start)
    }

    /// Gson's `nextString` (a string's text, or a number's literal text), from the body's string table.
    @inline(__always)
    mutating func text() throws(ZipkinJSONCursor.Failure) -> String {
        let t = try cursor.rawString()
        if t.escaped { return try cursor.text(t) }
        return strings.text(cursor.base + t.start, t.end - t.start)
    }

    /// `Span.Kind.valueOf`: the exact upper-case name, else `No enum constant zipkin2.Span.Kind.X`.
    mutating func kind() throws(ZipkinJSONCursor.Failure) -> SpanKind {
        let t = try cursor.rawString()
        if matches(t, "CLIENT") { return .client }
        if matches(t, "SERVER") { return .server }
        if matches(t, "PRODUCER") { return .producer }
        if matches(t, "CONSUMER") { return .consumer }
        throw .message("No enum constant zipkin2.Span.Kind.\(try cursor.text(t))")
    }

    /// `"annotations": [{"timestamp": µs, "value": "…"}, …]` into `annotations`; both members required
    /// (`Incomplete annotation at $[0].annotations[0].timestamp`), others skipped.
    mutating func annotationList() throws(ZipkinJSONCursor.Failure) {
        var timestamp: Int64? = nil
        var value: String? = nil
        try objects(
            begin: {
                timestamp = nil
                value = nil
            },
            member: { (reader, name) throws(ZipkinJSONCursor.Failure) in
                if reader.matches(name, "timestamp") {
                    timestamp = try reader.cursor.long()
                } else if reader.matches(name, "value") {
                    value = try reader.text()
                } else {
                    try reader.cursor.skipValue()
                }
            },
            end: { (reader) throws(ZipkinJSONCursor.Failure) in
                guard let timestamp, let value else { throw .message("Incomplete annotation at \(reader.path.text(reader.cursor))") }
                reader.annotations.append(SpanAnnotation(timestampUs: timestamp, value: value))
            })
    }

    /// `"tags": {"k": "v", …}` into `tags`; a null value is `No value at $[0].tags.k`.
    mutating func tagObject() throws(ZipkinJSONCursor.Failure) {
        guard try cursor.peek() == 0x7B else { throw .malformed(cursor.pos) }
        cursor.pos += 1
        if try cursor.consume(0x7D) { return }
        repeat {
            let key = try memberName()
            path.member = key.start..<key.end
            if try cursor.peek() == 0x6E { throw .message("No value at \(path.text(cursor))") }
            let value = try text()
            if key.escaped {
                keyOrder.seeUnknown()
                tags.append(SpanTag(key: try cursor.text(key), value: value))
            } else {
                keyOrder.see(cursor.base + key.start, key.end - key.start)
                tags.append(SpanTag(key: strings.text(cursor.base + key.start, key.end - key.start), value: value))
            }
        } while try cursor.next(close: 0x7D)
        path.member = nil
    }
}
