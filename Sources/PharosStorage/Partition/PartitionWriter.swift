import PharosCodec
import PharosCore
import Synchronization

/// Writes one immutable partition file: series chunks packed into pages, LZ4-compressed where it pays.
///
/// Single-use and single-threaded. The file appears atomically (temporary file, fsync, rename, fsync dir).
struct PartitionWriter {
    let path: String
    let startMs: Int64
    let endMs: Int64

    /// One series' encoded chunks, in id order.
    struct SeriesChunks {
        var seriesID: UInt32
        var chunks: [UInt8]
        var minTimestampMs: Int64
        var maxTimestampMs: Int64
        var pointCount: Int
        /// The series' encoded rollups (`RollupBuilder.encode`), written to the partition's rollup file.
        var rollups: [UInt8]
    }

    /// Writes the file and returns its index rows and size in bytes.
    func write(_ series: [SeriesChunks]) throws(StorageError) -> (entries: [PartitionIndexEntry], bytes: Int64) {
        var entries: [PartitionIndexEntry] = []
        entries.reserveCapacity(series.count)
        var fileBytes: Int64 = 0
        try FileIO.writeAtomically(path) { (file) throws(StorageError) in
            var header = ByteWriter()
            header.writeBytes(PartitionFormat.magic)
            header.writeUInt8(PartitionFormat.version)
            header.writeUInt8(0)
            header.writeUInt64LE(UInt64(bitPattern: startMs))
            header.writeUInt64LE(UInt64(bitPattern: endMs))
            try file.write(header.bytes)

            var page = ByteWriter()
            var pending: [PartitionIndexEntry] = []
            var compressed = ByteWriter()
            func flushPage() throws(StorageError) {
                guard page.count > 0 else { return }
                let pageOffset = file.offset
                compressed.removeAll(keepingCapacity: true)
                let stored: [UInt8]
                var flags: UInt8 = 0
                _ = page.withUnsafeBytes { raw in LZ4Block.compress(raw, into: &compressed) }
                if Double(compressed.count) < Double(page.count) * PartitionFormat.compressionKeepRatio {
                    stored = compressed.bytes
                    flags = PartitionFormat.flagLZ4
                } else {
                    stored = page.bytes
                }
                var pageHeader = ByteWriter()
                pageHeader.writeUInt32LE(UInt32(stored.count))
                pageHeader.writeUInt32LE(UInt32(page.count))
                pageHeader.writeUInt8(flags)
                pageHeader.writeUInt32LE(stored.withUnsafeBytes { CRC32C.checksum($0) })
                try file.write(pageHeader.bytes)
                try file.write(stored)
                for var entry in pending {
                    entry.pageOffset = pageOffset
                    entries.append(entry)
                }
                pending.removeAll(keepingCapacity: true)
                page.removeAll(keepingCapacity: true)
            }
            for item in series {
                pending.append(
                    PartitionIndexEntry(
                        seriesID: item.seriesID, pageOffset: 0, offsetInPage: Int32(page.count),
                        byteLength: Int32(item.chunks.count), minTimestampMs: item.minTimestampMs,
                        maxTimestampMs: item.maxTimestampMs, pointCount: Int32(item.pointCount)))
                page.writeBytes(item.chunks)
                if page.count >= PartitionFormat.pageTargetBytes { try flushPage() }
            }
            try flushPage()
            fileBytes = file.offset
        }
        return (entries, fileBytes)
    }
}
