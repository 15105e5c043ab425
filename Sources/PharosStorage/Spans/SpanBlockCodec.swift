import PharosCodec
import PharosCore

/// The spans of one trace inside a span partition block, encoded against the partition's dictionary.
///
/// ```
/// trace: length varint (of what follows) · flags u8 (1 128-bit id) · [high u64] · low u64 · spans varint · base ts zz
/// span:  flags u16 · id u64 · [parent: position in trace varint | u64] · [kind u8] · [name index varint]
///        [ts − base zz] · duration varint · [local endpoint index] · [remote endpoint index]
///        [annotations varint × (ts − span ts zz, value)] · [tags varint × (key index varint, value)]
/// value: index << 1 (in the dictionary) | length << 1 | 1, UTF-8 bytes
/// ```
/// A parent that is a span of the same trace costs one byte instead of eight, and the trace id is written
/// once per trace, not per span: after the span ids themselves, these are the big savings.
enum SpanBlockCodec {
    private enum Flag {
        static let kind: UInt16 = 1, name: UInt16 = 2, local: UInt16 = 4, remote: UInt16 = 8, debug: UInt16 = 16
        static let shared: UInt16 = 32, parentInTrace: UInt16 = 64, parentOutside: UInt16 = 128, timestamp: UInt16 = 256
        static let annotations: UInt16 = 512, tags: UInt16 = 1024
    }

    /// Appends one trace fragment; `spans` share trace id and 128-bit-ness.
    static func encodeTrace(_ spans: [Span], dictionary: SpanDictionary, into w: inout ByteWriter) {
        var body = ByteWriter(capacity: spans.count * 48)
        let first = spans[0]
        body.writeUInt8(first.traceIdIs128Bit ? 1 : 0)
        if first.traceIdIs128Bit { body.writeUInt64LE(first.traceIdHigh) }
        body.writeUInt64LE(first.traceIdLow)
        body.writeVarint(UInt64(spans.count))
        let base = spans.first(where: { $0.timestampUs != 0 })?.timestampUs ?? 0
        body.writeZigZag(base)
        var position: [UInt64: Int] = [:]
        position.reserveCapacity(spans.count)
        for (index, span) in spans.enumerated() where position[span.id] == nil { position[span.id] = index }
        for span in spans { encodeSpan(span, base: base, position: position, dictionary: dictionary, into: &body) }
        w.writeVarint(UInt64(body.count))
        body.withUnsafeBytes { w.writeBytes($0) }
    }

    private static func encodeSpan(
        _ span: Span, base: Int64, position: [UInt64: Int], dictionary: SpanDictionary, into w: inout ByteWriter
    ) {
        var flags: UInt16 = 0
        let parentPosition = span.parentId == 0 ? nil : position[span.parentId]
        if span.kind != nil { flags |= Flag.kind }
        if span.name != nil { flags |= Flag.name }
        if span.localEndpoint != nil { flags |= Flag.local }
        if span.remoteEndpoint != nil { flags |= Flag.remote }
        if span.debug { flags |= Flag.debug }
        if span.shared { flags |= Flag.shared }
        if span.parentId != 0 { flags |= parentPosition != nil ? Flag.parentInTrace : Flag.parentOutside }
        if span.timestampUs != 0 { flags |= Flag.timestamp }
        if !span.annotations.isEmpty { flags |= Flag.annotations }
        if !span.tags.isEmpty { flags |= Flag.tags }
        w.writeUInt16LE(flags)
        w.writeUInt64LE(span.id)
        if let parentPosition { w.writeVarint(UInt64(parentPosition)) } else if span.parentId != 0 { w.writeUInt64LE(span.parentId) }
        if let kind = span.kind { w.writeUInt8(kind.rawValue) }
        if let name = span.name { w.writeVarint(UInt64(dictionary.index(of: name)!)) }
        if span.timestampUs != 0 { w.writeZigZag(span.timestampUs &- base) }
        w.writeVarint(UInt64(bitPattern: span.durationUs))
        if let local = span.localEndpoint { w.writeVarint(UInt64(dictionary.index(of: local)!)) }
        if let remote = span.remoteEndpoint { w.writeVarint(UInt64(dictionary.index(of: remote)!)) }
        if !span.annotations.isEmpty {
            w.writeVarint(UInt64(span.annotations.count))
            for annotation in span.annotations {
                w.writeZigZag(annotation.timestampUs &- span.timestampUs)
                dictionary.writeValue(annotation.value, into: &w)
            }
        }
        if !span.tags.isEmpty {
            w.writeVarint(UInt64(span.tags.count))
            for tag in span.tags {
                w.writeVarint(UInt64(dictionary.index(of: tag.key)!))
                dictionary.writeValue(tag.value, into: &w)
            }
        }
    }

    /// Calls `body` with each trace fragment's id and a reader over its spans, without decoding them; the
    /// fragment decodes only when `body` asks (`decodeSpans`). Trace-by-id reads skip the other traces this way.
    static func forEachTrace(
        in block: UnsafeRawBufferPointer,
        _ body: (_ high: UInt64, _ low: UInt64, _ fragment: UnsafeRawBufferPointer) throws(CodecError) -> Void
    ) throws(CodecError) {
        var r = ByteReader(block)
        while r.remaining > 0 {
            let length = try SpanRecordCodec.count(&r)
            let start = r.offset
            var header = ByteReader(UnsafeRawBufferPointer(rebasing: block[start..<(start + length)]))
            let flags = try header.readUInt8()
            let high = flags & 1 != 0 ? try header.readUInt64LE() : 0
            let low = try header.readUInt64LE()
            try body(high, low, UnsafeRawBufferPointer(rebasing: block[start..<(start + length)]))
            try r.skip(length)
        }
    }

    /// Decodes every span of one trace fragment (the bytes `forEachTrace` handed out).
    static func decodeSpans(_ fragment: UnsafeRawBufferPointer, dictionary: SpanDictionary) throws(CodecError) -> [Span] {
        var r = ByteReader(fragment)
        let traceFlags = try r.readUInt8()
        let is128 = traceFlags & 1 != 0
        let high = is128 ? try r.readUInt64LE() : 0
        let low = try r.readUInt64LE()
        let count = try SpanRecordCodec.count(&r)
        let base = try r.readZigZag()
        var spans: [Span] = []
        spans.reserveCapacity(min(count, fragment.count / 11))
        // A parent stored after its child (spans are sorted by time) is resolved after the loop.
        var forward: [(child: Int, parent: Int)] = []
        for _ in 0..<count {
            let flags = try r.readUInt16LE()
            let id = try r.readUInt64LE()
            var parent: UInt64 = 0
            if flags & Flag.parentInTrace != 0 {
                let index = Int(clamping: try r.readVarint())
                guard index < count else { throw CodecError.corrupt("parent position \(index) outside the trace") }
                if index < spans.count { parent = spans[index].id } else { forward.append((spans.count, index)) }
            } else if flags & Flag.parentOutside != 0 {
                parent = try r.readUInt64LE()
            }
            var kind: SpanKind?
            if flags & Flag.kind != 0 {
                let raw = try r.readUInt8()
                guard let decoded = SpanKind(rawValue: raw) else { throw CodecError.corrupt("span kind \(raw)") }
                kind = decoded
            }
            let name = flags & Flag.name != 0 ? try dictionary.readString(&r) : nil
            let timestamp = flags & Flag.timestamp != 0 ? base &+ (try r.readZigZag()) : 0
            let duration = Int64(bitPattern: try r.readVarint())
            let local = flags & Flag.local != 0 ? try dictionary.readEndpoint(&r) : nil
            let remote = flags & Flag.remote != 0 ? try dictionary.readEndpoint(&r) : nil
            var annotations: [SpanAnnotation] = []
            if flags & Flag.annotations != 0 {
                let n = try SpanRecordCodec.count(&r)
                annotations.reserveCapacity(n)
                for _ in 0..<n {
                    let t = timestamp &+ (try r.readZigZag())
                    annotations.append(SpanAnnotation(timestampUs: t, value: try dictionary.readValue(&r)))
                }
            }
            var tags: [SpanTag] = []
            if flags & Flag.tags != 0 {
                let n = try SpanRecordCodec.count(&r)
                tags.reserveCapacity(n)
                for _ in 0..<n {
                    let key = try dictionary.readString(&r)
                    tags.append(SpanTag(key: key, value: try dictionary.readValue(&r)))
                }
            }
            spans.append(
                Span(
                    traceIdHigh: high, traceIdLow: low, traceIdIs128Bit: is128, parentId: parent, id: id, kind: kind, name: name,
                    timestampUs: timestamp, durationUs: duration, localEndpoint: local, remoteEndpoint: remote,
                    annotations: annotations, tags: tags, debug: flags & Flag.debug != 0, shared: flags & Flag.shared != 0))
        }
        for link in forward { spans[link.child].parentId = spans[link.parent].id }
        return spans
    }
}
