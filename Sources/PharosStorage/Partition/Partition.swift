#if canImport(Glibc)
import Glibc
#endif
import PharosCodec
import Synchronization
import PharosCore

/// A sealed, immutable partition file, memory-mapped, with its index in memory.
///
/// Thread-safe: the mapping is read-only; decompressed pages are cached under a lock. Kept alive by
/// every reader holding it, so compaction can replace it while a query still reads the old file.
final class Partition: @unchecked Sendable {
    let record: Catalog.PartitionRecord
    let path: String
    let entries: [UInt32: PartitionIndexEntry]
    /// Pre-aggregates written beside the partition; nil for a partition that has none (its file is missing).
    let rollups: RollupFile?
    private let base: UnsafeRawPointer?
    private let length: Int
    private struct PageCache {
        /// Raw pages whose checksum has passed.
        var verified: Set<Int64> = []
        /// Decompressed LZ4 pages, dropped wholesale past `limit` entries.
        var decompressed: [Int64: [UInt8]] = [:]
        static let limit = 256
    }

    private let pages = Mutex(PageCache())

    var id: Int64 { record.id }
    var startMs: Int64 { record.startMs }
    var endMs: Int64 { record.endMs }

    init(record: Catalog.PartitionRecord, path: String, rollupPath: String?, entries: [PartitionIndexEntry]) throws(StorageError) {
        self.record = record
        self.path = path
        self.rollups = rollupPath.flatMap { FileIO.exists($0) ? RollupFile(path: $0) : nil }
        var byID: [UInt32: PartitionIndexEntry] = [:]
        byID.reserveCapacity(entries.count)
        for entry in entries { byID[entry.seriesID] = entry }
        self.entries = byID
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.posix("open partition", path: path) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        length = Int(info.st_size)
        guard length >= PartitionFormat.headerBytes else {
            base = nil
            throw StorageError(.corrupt, "partition \(path) is \(length) bytes, shorter than its header")
        }
        let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            base = nil
            throw StorageError.posix("map partition", path: path)
        }
        base = UnsafeRawPointer(mapped)
        let magic = UnsafeRawBufferPointer(start: base, count: PartitionFormat.magic.count)
        guard magic.elementsEqual(PartitionFormat.magic), base!.load(fromByteOffset: 6, as: UInt8.self) == PartitionFormat.version else {
            throw StorageError(.corrupt, "partition \(path) has no valid header (magic or version byte)")
        }
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), length) }
    }

    /// Appends the points of series `id` within `[startMs, endMs]` to `series`, in time order.
    func points(of id: UInt32, startMs: Int64, endMs: Int64, into series: inout PointSeries) throws(StorageError) {
        guard let entry = entries[id], entry.maxTimestampMs >= startMs, entry.minTimestampMs <= endMs else { return }
        try withPage(at: entry.pageOffset) { (page) throws(StorageError) in
            let from = Int(entry.offsetInPage)
            let to = from + Int(entry.byteLength)
            guard from >= 0, from <= to, to <= page.count else {
                throw StorageError(.corrupt, "partition \(path): series \(id) runs past its page at offset \(entry.pageOffset)")
            }
            var offset = from
            series.reserve(series.count + Int(entry.pointCount))
            do {
                while offset < to {
                    let chunk = UnsafeRawBufferPointer(rebasing: page[offset..<to])
                    let header = try ChunkDecoder.header(chunk)
                    if header.maxTimestampMs >= startMs && header.minTimestampMs <= endMs {
                        _ = try ChunkDecoder.decode(chunk, timestamps: &series.timestamps, values: &series.values)
                    }
                    offset += header.byteLength
                }
            } catch {
                throw StorageError(.corrupt, "partition \(path): cannot decode series \(id) at page \(entry.pageOffset)+\(offset): \(error)")
            }
        }
    }

    /// Runs `body` over the decompressed bytes of the page at `offset`, checking its checksum.
    private func withPage<T>(at offset: Int64, _ body: (UnsafeRawBufferPointer) throws(StorageError) -> T) throws(StorageError) -> T {
        let headerSize = PartitionFormat.pageHeaderBytes
        guard let base, offset >= 0, Int(offset) + headerSize <= length else {
            throw StorageError(.corrupt, "partition \(path): page offset \(offset) is outside the file")
        }
        let stored = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset), as: UInt32.self)))
        let raw = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset) + 4, as: UInt32.self)))
        let flags = base.load(fromByteOffset: Int(offset) + 8, as: UInt8.self)
        let crc = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset) + 9, as: UInt32.self))
        let start = Int(offset) + headerSize
        guard start + stored <= length else {
            throw StorageError(.corrupt, "partition \(path): page at \(offset) claims \(stored) bytes past the end of the file")
        }
        let storedBytes = UnsafeRawBufferPointer(start: base + start, count: stored)
        let (verified, cached) = pages.withLock { ($0.verified.contains(offset), $0.decompressed[offset]) }
        if verified { return try body(storedBytes) }
        if let cached { return try cached.withUnsafeBytes { page in Result { () throws(StorageError) in try body(page) } }.get() }
        guard CRC32C.checksum(storedBytes) == crc else {
            throw StorageError(.corrupt, "partition \(path): page at offset \(offset) fails its checksum")
        }
        if flags & PartitionFormat.flagLZ4 == 0 {
            if raw != stored { throw StorageError(.corrupt, "partition \(path): raw page at \(offset) has inconsistent sizes") }
            _ = pages.withLock { $0.verified.insert(offset) }
            return try body(storedBytes)
        }
        var decompressed = [UInt8](repeating: 0, count: raw)
        do {
            try decompressed.withUnsafeMutableBytes { try LZ4Block.decompress(storedBytes, decompressedSize: raw, into: $0) }
        } catch {
            throw StorageError(.corrupt, "partition \(path): page at offset \(offset) does not decompress: \(error)")
        }
        pages.withLock { cache in
            if cache.decompressed.count > PageCache.limit { cache.decompressed.removeAll() }
            cache.decompressed[offset] = decompressed
        }
        return try decompressed.withUnsafeBytes { page in Result { () throws(StorageError) in try body(page) } }.get()
    }
}
