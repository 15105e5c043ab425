import PharosCodec
import PharosCore

/// The records of the write-ahead log. Each is framed as
/// `[u32 LE payload length][u32 LE CRC32C of type+payload][u8 type][payload]`; see `Storage/FORMAT.md`.
enum WALRecordType: UInt8 {
    /// New series: `count varint`, then per series `id varint, length varint, canonical key bytes`.
    case series = 1
    /// Samples: `count varint, base timestamp zigzag`, then per sample
    /// `series id varint, timestamp − base zigzag, value as 8 bytes LE IEEE-754`.
    case samples = 2
    /// Spans (the span WAL): `count varint`, then each span in `SpanRecordCodec`'s form.
    case spans = 3
}

enum WALRecord {
    static let headerBytes = 9

    /// Appends a framed record: a header whose length and checksum are filled in once `body` has written
    /// the payload in place (no copy of the payload).
    static func frame(_ type: WALRecordType, into writer: inout ByteWriter, body: (inout ByteWriter) -> Void) {
        let start = writer.count
        writer.writeUInt32LE(0)
        writer.writeUInt32LE(0)
        writer.writeUInt8(type.rawValue)
        body(&writer)
        let end = writer.count
        writer.setUInt32LE(UInt32(end - start - headerBytes), at: start)
        let crc = writer.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)..<end])) }
        writer.setUInt32LE(crc, at: start + 4)
    }

    static func encodeSeries(_ series: [(id: UInt32, key: String)], into writer: inout ByteWriter) {
        frame(.series, into: &writer) { w in
            w.writeVarint(UInt64(series.count))
            for entry in series {
                w.writeVarint(UInt64(entry.id))
                var key = entry.key
                key.withUTF8 { utf8 in
                    w.writeVarint(UInt64(utf8.count))
                    w.writeBytes(UnsafeRawBufferPointer(utf8))
                }
            }
        }
    }

    static func encodeSamples(_ batch: SampleBatch, into writer: inout ByteWriter) {
        frame(.samples, into: &writer) { w in
            let count = batch.count
            w.writeVarint(UInt64(count))
            let base = count > 0 ? batch.timestamps[0] : 0
            w.writeZigZag(base)
            for i in 0..<count {
                w.writeVarint(UInt64(batch.seriesIDs[i]))
                w.writeZigZag(batch.timestamps[i] &- base)
                w.writeUInt64LE(batch.values[i].bitPattern)
            }
        }
    }
}
