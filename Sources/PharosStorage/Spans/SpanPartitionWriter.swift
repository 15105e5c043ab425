import PharosCodec
import PharosCore

/// Writes sealed spans as one span partition file and computes the index rows the catalog keeps for it.
///
/// Spans are grouped by trace id (so a trace is read from one block), sorted by time within a trace, and
/// encoded against one dictionary for the file; blocks are LZ4-compressed.
struct SpanPartitionWriter {
    /// What the catalog needs of a partition: one row per trace fragment and the partition's summaries.
    struct Summary {
        struct Trace {
            var high: UInt64
            var low: UInt64
            var block: Int
            /// Zipkin's trace timestamp for this fragment (root span's, else the earliest).
            var timestampUs: Int64
            var maxDurationUs: Int64
            /// Local service → longest duration of its spans in this fragment.
            var services: [String: Int64]
        }
        var traces: [Trace] = []
        /// Service → span names and remote services; autocomplete key → values (the head's own indexes).
        var spanNames: [String: Set<String>] = [:]
        var remoteServices: [String: Set<String>] = [:]
        var autocomplete: [String: Set<String>] = [:]
        /// Dependency links by the minute (epoch ms) of their trace's timestamp, signed (see `SpanStore.sealLinks`);
        /// filled in by the store, which knows the earlier parts of each trace.
        var links: [Int64: [DependencyLink]] = [:]
        var minTimestampUs: Int64 = .max
        var maxTimestampUs: Int64 = .min
        var spanCount = 0
        var byteSize: Int64 = 0
    }

    /// Writes the spans of `head`; its name and autocomplete indexes become the summary's as they are.
    func write(_ head: SpanHead, to path: String) throws(StorageError) -> Summary {
        let spans = head.spans
        let dictionary = SpanDictionary(for: spans)
        // Sort plain keys, not spans: comparing `Span` values would copy (retain and release) every field.
        let order = spans.indices.map { index in
            let span = spans[index]
            return SortKey(
                low: span.traceIdLow, high: span.traceIdHigh, is128: span.traceIdIs128Bit, timestampUs: span.timestampUs, id: span.id,
                index: index)
        }.sorted().map(\.index)
        var summary = Summary()
        summary.spanCount = spans.count
        summary.spanNames = head.spanNames
        summary.remoteServices = head.remoteServices
        summary.autocomplete = head.autocomplete
        var file = ByteWriter(capacity: spans.count * 32)
        file.writeBytes(SpanPartitionFormat.magic)
        file.writeUInt8(SpanPartitionFormat.version)
        file.writeUInt8(0)
        var sections: [SpanSection] = []
        var block = ByteWriter(capacity: SpanPartitionFormat.blockTargetBytes + 4096)
        var start = 0
        while start < order.count {
            var end = start + 1
            let first = spans[order[start]]
            while end < order.count, Self.sameTrace(spans[order[end]], first) { end += 1 }
            let trace = order[start..<end].map { spans[$0] }
            SpanBlockCodec.encodeTrace(trace, dictionary: dictionary, into: &block)
            summarise(trace, block: sections.count, into: &summary)
            if block.count >= SpanPartitionFormat.blockTargetBytes {
                sections.append(Self.appendSection(block, to: &file))
                block.removeAll()
            }
            start = end
        }
        if block.count > 0 { sections.append(Self.appendSection(block, to: &file)) }
        var dictionaryBytes = ByteWriter()
        dictionary.encode(into: &dictionaryBytes)
        sections.append(Self.appendSection(dictionaryBytes, to: &file))
        var footer = ByteWriter()
        footer.writeVarint(UInt64(sections.count - 1))
        for section in sections {
            footer.writeVarint(UInt64(section.offset))
            footer.writeVarint(UInt64(section.storedLength))
            footer.writeVarint(UInt64(section.rawLength))
            footer.writeUInt8(section.compressed ? 1 : 0)
            footer.writeUInt32LE(section.checksum)
        }
        footer.withUnsafeBytes { file.writeBytes($0) }
        file.writeUInt32LE(UInt32(footer.count))
        file.writeUInt32LE(footer.withUnsafeBytes { CRC32C.checksum($0) })
        file.writeBytes(SpanPartitionFormat.trailerMagic)
        try FileIO.writeAtomically(path) { writer throws(StorageError) in try writer.write(file.bytes) }
        summary.byteSize = Int64(file.count)
        return summary
    }

    private static func sameTrace(_ a: Span, _ b: Span) -> Bool {
        a.traceIdLow == b.traceIdLow && a.traceIdHigh == b.traceIdHigh && a.traceIdIs128Bit == b.traceIdIs128Bit
    }

    static func minuteMs(ofUs us: Int64) -> Int64 {
        let ms = us / 1000 - (us % 1000 < 0 ? 1 : 0)
        return ms - ((ms % 60_000) + 60_000) % 60_000
    }

    private func summarise(_ trace: [Span], block: Int, into summary: inout Summary) {
        let timestamp = SpanHead.traceTimestamp(trace) ?? 0
        var row = Summary.Trace(
            high: trace[0].traceIdHigh, low: trace[0].traceIdLow, block: block, timestampUs: timestamp, maxDurationUs: 0, services: [:])
        for span in trace {
            row.maxDurationUs = max(row.maxDurationUs, span.durationUs)
            if span.timestampUs != 0 {
                summary.minTimestampUs = min(summary.minTimestampUs, span.timestampUs)
                summary.maxTimestampUs = max(summary.maxTimestampUs, span.timestampUs)
            }
            if let service = span.localEndpoint?.serviceName {
                row.services[service] = max(row.services[service] ?? 0, span.durationUs)
            }
        }
        summary.traces.append(row)
    }

    /// Compresses `raw` when LZ4 saves at least 10 % and appends it to the file.
    private static func appendSection(_ raw: ByteWriter, to file: inout ByteWriter) -> SpanSection {
        let offset = file.count
        var compressed = ByteWriter(capacity: LZ4Block.maxCompressedCount(raw.count))
        let count = raw.withUnsafeBytes { LZ4Block.compress($0, into: &compressed) }
        let useLZ4 = count > 0 && count * 10 <= raw.count * 9
        let stored = useLZ4 ? compressed : raw
        stored.withUnsafeBytes { file.writeBytes($0) }
        return SpanSection(
            offset: offset, storedLength: stored.count, rawLength: raw.count, compressed: useLZ4,
            checksum: stored.withUnsafeBytes { CRC32C.checksum($0) })
    }
}

/// The order of spans in a partition: by trace id, then time, then span id.
private struct SortKey: Comparable {
    var low: UInt64
    var high: UInt64
    var is128: Bool
    var timestampUs: Int64
    var id: UInt64
    var index: Int

    static func < (a: SortKey, b: SortKey) -> Bool {
        (a.low, a.high, a.is128 ? 1 : 0, a.timestampUs, a.id) < (b.low, b.high, b.is128 ? 1 : 0, b.timestampUs, b.id)
    }
}
