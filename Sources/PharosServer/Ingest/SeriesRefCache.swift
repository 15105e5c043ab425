#if canImport(Glibc)
import Glibc
#endif
import PharosCore
import PharosStorage

/// Maps a series' raw bytes as a client sent them (metric and tag section) to its `SeriesRef`, so a
/// repeated series costs one hash and one byte comparison instead of parsing, sorting and a locked lookup.
///
/// Owned by one connection (one thread at a time). Only keys that passed strict validation are inserted,
/// so a hit means the bytes are valid. Open addressing with linear probing; cleared when full.
struct SeriesRefCache {
    private var hashes: [UInt64]
    private var refs: [UInt32]
    private var keyStarts: [Int32]
    private var metricLengths: [Int32]
    private var tagLengths: [Int32]
    private var arena: [UInt8] = []
    private var mask: Int
    private(set) var count = 0
    /// Entries before the cache starts over; bounds a connection's memory whatever its cardinality.
    let limit: Int

    init(capacity: Int = 4096, limit: Int = 1 << 20) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        (hashes, refs, keyStarts, metricLengths, tagLengths) = Self.emptySlots(size)
        mask = size - 1
        self.limit = limit
    }

    private static func emptySlots(_ size: Int) -> ([UInt64], [UInt32], [Int32], [Int32], [Int32]) {
        (
            [UInt64](repeating: 0, count: size), [UInt32](repeating: 0, count: size), [Int32](repeating: -1, count: size),
            [Int32](repeating: 0, count: size), [Int32](repeating: 0, count: size)
        )
    }

    @inline(__always)
    static func hash(metric: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer) -> UInt64 {
        ByteHash.hash(tags, seed: ByteHash.hash(metric))
    }

    func lookup(metric: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, hash: UInt64) -> SeriesRef? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let start = keyStarts[slot]
            if start < 0 { return nil }
            if hashes[slot] == hash && Int(metricLengths[slot]) == metric.count && Int(tagLengths[slot]) == tags.count {
                let equal = arena.withUnsafeBytes { raw -> Bool in
                    let base = raw.baseAddress! + Int(start)
                    return memcmpEqual(base, metric) && memcmpEqual(base + metric.count, tags)
                }
                if equal { return SeriesRef(id: refs[slot]) }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(metric: UnsafeRawBufferPointer, tags: UnsafeRawBufferPointer, hash: UInt64, ref: SeriesRef) {
        if count >= limit { clear() }
        if (count + 1) * 2 > hashes.count { grow() }
        let start = Int32(arena.count)
        arena.append(contentsOf: metric)
        arena.append(contentsOf: tags)
        place(hash: hash, ref: ref.id, start: start, metricLength: Int32(metric.count), tagLength: Int32(tags.count))
        count += 1
    }

    private mutating func place(hash: UInt64, ref: UInt32, start: Int32, metricLength: Int32, tagLength: Int32) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while keyStarts[slot] >= 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        refs[slot] = ref
        keyStarts[slot] = start
        metricLengths[slot] = metricLength
        tagLengths[slot] = tagLength
    }

    private mutating func grow() {
        let old = (hashes, refs, keyStarts, metricLengths, tagLengths)
        let size = hashes.count * 2
        (hashes, refs, keyStarts, metricLengths, tagLengths) = Self.emptySlots(size)
        mask = size - 1
        for i in old.2.indices where old.2[i] >= 0 {
            place(hash: old.0[i], ref: old.1[i], start: old.2[i], metricLength: old.3[i], tagLength: old.4[i])
        }
    }

    mutating func clear() {
        for i in keyStarts.indices { keyStarts[i] = -1 }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }
}

@inline(__always)
private func memcmpEqual(_ base: UnsafeRawPointer, _ other: UnsafeRawBufferPointer) -> Bool {
    guard let otherBase = other.baseAddress else { return true }
    return memcmp(base, otherBase, other.count) == 0
}
