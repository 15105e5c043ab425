#if canImport(Glibc)
import Glibc
#endif
import PharosCodec
import PharosCore
import Synchronization

/// A sealed span partition file, memory-mapped, with its dictionary decoded once.
///
/// Thread-safe: the mapping is read-only and the decoded blocks are cached under a lock. Kept alive by each
/// reader holding it, so retention can delete it while a query still reads it.
final class SpanPartition: @unchecked Sendable {
    let id: Int64
    let path: String
    let hourMs: Int64
    private let base: UnsafeRawPointer
    private let length: Int
    private let blocks: [SpanSection]
    private let dictionarySection: SpanSection
    /// Decoded on first use and dropped by `releaseDictionary` (the store keeps only recent partitions'
    /// dictionaries: they hold every repeated value, and all of them together cost hundreds of MB).
    private let loadedDictionary = Mutex<SpanDictionary?>(nil)
    private let cache = Mutex<[Int: [UInt8]]>([:])
    /// Decoded blocks kept per partition. Small on purpose: sealing reads blocks of many older partitions
    /// (traces split across seals), and 64 a partition pinned ~340 MB over 83 partitions in the benchmark.
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
        length = Int(info.st_size)
        guard length >= SpanPartitionFormat.headerBytes + SpanPartitionFormat.trailerBytes,
            let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), mapped != MAP_FAILED
        else { throw StorageError(.corrupt, "span partition \(path) is too short (\(length) bytes) or cannot be mapped") }
        base = UnsafeRawPointer(mapped)
        do throws(CodecError) {
            let all = UnsafeRawBufferPointer(start: base, count: length)
            guard all.prefix(6).elementsEqual(SpanPartitionFormat.magic), all[6] == SpanPartitionFormat.version,
                all.suffix(8).elementsEqual(SpanPartitionFormat.trailerMagic)
            else { throw CodecError.corrupt("bad magic or version") }
            var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: all[(length - 16)..<(length - 8)]))
            let footerLength = Int(try trailer.readUInt32LE())
            let footerChecksum = try trailer.readUInt32LE()
            guard footerLength <= length - 24 else { throw CodecError.corrupt("footer length \(footerLength)") }
            let footerBytes = UnsafeRawBufferPointer(rebasing: all[(length - 16 - footerLength)..<(length - 16)])
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
            munmap(UnsafeMutableRawPointer(mutating: base), length)
            throw StorageError(.corrupt, "span partition \(path): \(error)")
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    var blockCount: Int { blocks.count }

    /// The partition's dictionary, decoded (and verified) when first needed.
    func dictionary() throws(StorageError) -> SpanDictionary {
        if let loaded = loadedDictionary.withLock({ $0 }) { return loaded }
        do {
            var r = ByteReader(try Self.load(dictionarySection, base: base))
            let decoded = try SpanDictionary.decode(&r)
            loadedDictionary.withLock { $0 = decoded }
            return decoded
        } catch { throw StorageError(.corrupt, "span partition \(path), dictionary: \(error)") }
    }

    /// Frees the decoded dictionary and blocks; the next read decodes them again.
    func releaseMemory() {
        loadedDictionary.withLock { $0 = nil }
        cache.withLock { $0.removeAll() }
    }

    private static func load(_ section: SpanSection, base: UnsafeRawPointer) throws(CodecError) -> [UInt8] {
        let stored = UnsafeRawBufferPointer(start: base + section.offset, count: section.storedLength)
        guard CRC32C.checksum(stored) == section.checksum else {
            throw CodecError.corrupt("checksum mismatch in the section at offset \(section.offset)")
        }
        return section.compressed ? try LZ4Block.decompress(stored, decompressedSize: section.rawLength) : Array(stored)
    }

    /// The raw bytes of block `index`, verified and decompressed (cached).
    func block(_ index: Int) throws(StorageError) -> [UInt8] {
        if let cached = cache.withLock({ $0[index] }) { return cached }
        guard index >= 0, index < blocks.count else { throw StorageError(.corrupt, "span partition \(path) has no block \(index)") }
        let bytes: [UInt8]
        do { bytes = try Self.load(blocks[index], base: base) } catch {
            throw StorageError(.corrupt, "span partition \(path), block \(index): \(error)")
        }
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
