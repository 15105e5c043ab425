import PharosCodec
import PharosCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A sealed span partition file: its footer read once, blocks read with `pread` when needed.
///
/// Reads go through `pread`, not a memory map: mapped pages count as the daemon's resident memory, and
/// sealing touches blocks of many older partitions (traces split across seals). The kernel's page cache
/// still keeps hot blocks close. Thread-safe: decoded blocks and the dictionary are cached under locks.
/// Kept alive by each reader holding it, so retention can delete it while a query still reads it.
final class SpanPartition: Sendable {
    let id: Int64
    let path: String
    let hourMs: Int64
    private let blocks: [SpanSection]
    private let dictionarySection: SpanSection
    /// Decoded on first use and dropped by `releaseMemory` (the store keeps only recent partitions'
    /// dictionaries: they hold every repeated value, and all of them together cost hundreds of MB).
    private let loadedDictionary = Mutex<SpanDictionary?>(nil)
    private let cache = Mutex<[Int: [UInt8]]>([:])
    /// Decoded blocks kept per partition. Small on purpose: sealing reads blocks of many older partitions.
    private static let cachedBlocks = 4

    init(id: Int64, hourMs: Int64, path: String) throws(StorageError) {
        self.id = id
        self.hourMs = hourMs
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.posix("open span partition", path: path) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let length = Int(info.st_size)
        guard length >= SpanPartitionFormat.headerBytes + SpanPartitionFormat.trailerBytes else {
            throw StorageError(.corrupt, "span partition \(path) is too short (\(length) bytes)")
        }
        let header = try Self.read(fd, offset: 0, count: 8, path: path)
        let trailer = try Self.read(fd, offset: length - 16, count: 16, path: path)
        do throws(CodecError) {
            guard header.prefix(6).elementsEqual(SpanPartitionFormat.magic), header[6] == SpanPartitionFormat.version,
                trailer.suffix(8).elementsEqual(SpanPartitionFormat.trailerMagic)
            else { throw CodecError.corrupt("bad magic or version") }
            var r = ByteReader(Array(trailer.prefix(8)))
            let footerLength = Int(try r.readUInt32LE())
            let footerChecksum = try r.readUInt32LE()
            guard footerLength <= length - 24 else { throw CodecError.corrupt("footer length \(footerLength)") }
            let footerBytes: [UInt8]
            do { footerBytes = try Self.read(fd, offset: length - 16 - footerLength, count: footerLength, path: path) } catch {
                throw CodecError.corrupt("footer unreadable: \(error)")
            }
            guard CRC32C.checksum(footerBytes) == footerChecksum else { throw CodecError.corrupt("footer checksum mismatch") }
            var footer = ByteReader(footerBytes)
            let blockCount = try SpanRecordCodec.count(&footer)
            var sections: [SpanSection] = []
            for _ in 0...blockCount {
                let offset = Int(clamping: try footer.readVarint())
                let stored = Int(clamping: try footer.readVarint())
                let raw = Int(clamping: try footer.readVarint())
                let lz4 = try footer.readUInt8() == 1
                let checksum = try footer.readUInt32LE()
                guard offset >= 8, stored <= length - 16 - footerLength - offset, raw < 1 << 30 else {
                    throw CodecError.corrupt("section at \(offset) of \(stored) bytes lies outside the file")
                }
                sections.append(SpanSection(offset: offset, storedLength: stored, rawLength: raw, compressed: lz4, checksum: checksum))
            }
            dictionarySection = sections.removeLast()
            blocks = sections
        } catch {
            throw StorageError(.corrupt, "span partition \(path): \(error)")
        }
    }

    /// `count` bytes at `offset` of the open file.
    private static func read(_ fd: Int32, offset: Int, count: Int, path: String) throws(StorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw n == 0 ? StorageError(.corrupt, "span partition \(path) ends early") : StorageError.posix("read", path: path)
            }
            done += n
        }
        return bytes
    }

    var blockCount: Int { blocks.count }

    /// The partition's dictionary, decoded (and verified) when first needed.
    func dictionary() throws(StorageError) -> SpanDictionary {
        if let loaded = loadedDictionary.withLock({ $0 }) { return loaded }
        let bytes = try load(dictionarySection)
        do {
            let decoded = try SpanDictionary.decode(bytes)
            loadedDictionary.withLock { $0 = decoded }
            return decoded
        } catch { throw StorageError(.corrupt, "span partition \(path), dictionary: \(error)") }
    }

    /// Frees the decoded dictionary and blocks; the next read decodes them again.
    func releaseMemory() {
        loadedDictionary.withLock { $0 = nil }
        cache.withLock { $0.removeAll() }
    }

    /// Reads, verifies and decompresses one section.
    private func load(_ section: SpanSection) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.posix("open span partition", path: path) }
        defer { close(fd) }
        let stored = try Self.read(fd, offset: section.offset, count: section.storedLength, path: path)
        guard CRC32C.checksum(stored) == section.checksum else {
            throw StorageError(.corrupt, "span partition \(path): checksum mismatch in the section at offset \(section.offset)")
        }
        guard section.compressed else { return stored }
        do {
            return try stored.withUnsafeBytes { raw in
                try Result { () throws(CodecError) in try LZ4Block.decompress(raw, decompressedSize: section.rawLength) }.get()
            }
        } catch { throw StorageError(.corrupt, "span partition \(path), section at \(section.offset): \(error)") }
    }

    /// The raw bytes of block `index`, verified and decompressed (cached).
    func block(_ index: Int) throws(StorageError) -> [UInt8] {
        if let cached = cache.withLock({ $0[index] }) { return cached }
        guard index >= 0, index < blocks.count else { throw StorageError(.corrupt, "span partition \(path) has no block \(index)") }
        let bytes = try load(blocks[index])
        cache.withLock { cache in
            if cache.count >= Self.cachedBlocks { cache.removeAll(keepingCapacity: true) }
            cache[index] = bytes
        }
        return bytes
    }

    /// The spans of block `index` whose trace id matches (`strict` compares the upper 64 bits too).
    func spans(inBlock index: Int, high: UInt64, low: UInt64, strict: Bool) throws(StorageError) -> [Span] {
        try spans(inBlock: index) { h, l in l == low && (!strict || h == high) }
    }

    /// The spans of block `index` of the traces `wanted` accepts (by upper and lower 64 bits of the id).
    func spans(inBlock index: Int, where wanted: (UInt64, UInt64) -> Bool) throws(StorageError) -> [Span] {
        let bytes = try block(index)
        let dictionary = try dictionary()
        // Result inside a non-throwing closure: a typed-throws closure handed to `withUnsafeBytes` crashes
        // the Swift 6.3 compiler (IRGen, reabstraction thunk).
        let decoded = bytes.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> [Span] in
                var found: [Span] = []
                try SpanBlockCodec.forEachTrace(in: raw) { (h, l, fragment) throws(CodecError) in
                    guard wanted(h, l) else { return }
                    found += try SpanBlockCodec.decodeSpans(fragment, dictionary: dictionary)
                }
                return found
            }
        }
        switch decoded {
        case .success(let spans): return spans
        case .failure(let error): throw StorageError(.corrupt, "span partition \(path), block \(index): \(error)")
        }
    }
}
