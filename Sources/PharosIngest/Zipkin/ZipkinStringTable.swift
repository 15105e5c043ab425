/// The strings of one request body, made once each: a decoder asks for the text of a byte range and gets the
/// `String` it already made for the same bytes.
///
/// Why: a reporter's batch repeats a handful of service names, span names, tag keys and low-cardinality tag
/// values in every span, and making a `String` (UTF-8 validation, and for more than 15 bytes a heap
/// allocation that the span store later frees) was most of the decoders' time. A hit costs a hash of the
/// bytes, one comparison and a retain.
///
/// Open addressing with linear probing over a power-of-two table, keyed by the bytes (which stay
/// in the caller's body, so nothing is copied) and by how they are turned into text (`Form`). It grows to at
/// most `maxEntries`; past that, and for ranges longer than `maxLength`, strings are made without being kept,
/// so a body of unique values (ids in paths, SQL with literals) costs a probe per string, not unbounded
/// memory. Not thread-safe: one per decode call, and the body must outlive it.
final class ZipkinStringTable {
    /// How bytes become text; part of the key, so a span name and a tag value with the same bytes differ.
    enum Form: UInt64 {
        /// The bytes as UTF-8 (invalid sequences become U+FFFD), as Java's UTF-8 reader does.
        case text = 0x9E37_79B9_7F4A_7C15
        /// Zipkin's name normalisation: lower-cased (`ZipkinNames`); never empty.
        case name = 0xC2B2_AE3D_27D4_EB4F
    }

    /// What a filled slot holds besides its hash.
    struct Entry {
        var bytes: UnsafePointer<UInt8>
        var count: Int
        var string: String
    }

    /// Longer ranges are made directly: such values are seldom repeated, and hashing them costs as much as
    /// copying them.
    static let maxLength = 256
    /// At most this many strings kept per body (a table of twice as many slots, 80 KB at most).
    static let maxEntries = 1024

    /// Hash of each slot's key with the top bit set; 0 marks an empty slot. Probing reads only these.
    private var hashes: UnsafeMutablePointer<UInt64>
    /// Initialised exactly where `hashes` is non-zero.
    private var slots: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var filled = 0

    init(capacity: Int = 64) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "BUG: table capacity must be a power of two")
        hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
        slots = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        mask = capacity - 1
    }

    deinit {
        for i in 0...mask where hashes[i] != 0 { (slots + i).deinitialize(count: 1) }
        hashes.deallocate()
        slots.deallocate()
    }

    /// The UTF-8 text of `count` bytes at `bytes`.
    @inline(__always)
    func text(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        if count == 0 { return "" }
        return string(bytes, count, .text)
    }

    /// The lower-cased name in `count` bytes at `bytes`, nil when empty (`Span.Builder.name`).
    @inline(__always)
    func name(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String? {
        if count == 0 { return nil }
        return string(bytes, count, .name)
    }

    @inline(__always)
    private func string(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ form: Form) -> String {
        if count > Self.maxLength { return Self.make(bytes, count, form) }
        let hash = Self.hash(bytes, count, form.rawValue) | 1 << 63
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let h = hashes[i]
            if h == 0 { break }
            if h == hash && slots[i].count == count && Self.equal(slots[i].bytes, bytes, count) { return slots[i].string }
            i = (i + 1) & mask
        }
        let s = Self.make(bytes, count, form)
        if filled < Self.maxEntries {
            hashes[i] = hash
            (slots + i).initialize(to: Entry(bytes: bytes, count: count, string: s))
            filled += 1
            if filled * 2 > mask + 1 { grow() }
        }
        return s
    }

    private static func make(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ form: Form) -> String {
        switch form {
        case .text: String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        case .name: ZipkinNames.lowercased(bytes, count)!
        }
    }

    /// Doubles the table, moving every entry by its stored hash.
    private func grow() {
        let oldCapacity = mask + 1
        let oldHashes = hashes
        let oldSlots = slots
        hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: oldCapacity * 2)
        hashes.initialize(repeating: 0, count: oldCapacity * 2)
        slots = UnsafeMutablePointer<Entry>.allocate(capacity: oldCapacity * 2)
        mask = oldCapacity * 2 - 1
        for j in 0..<oldCapacity where oldHashes[j] != 0 {
            var i = Int(truncatingIfNeeded: oldHashes[j]) & mask
            while hashes[i] != 0 { i = (i + 1) & mask }
            hashes[i] = oldHashes[j]
            (slots + i).moveInitialize(from: oldSlots + j, count: 1)
        }
        oldHashes.deallocate()
        oldSlots.deallocate()
    }

    /// `ByteHash`'s mixing (one 64×64→128-bit multiply per word), specialised for the short keys here: the
    /// last word of a range of 8 bytes or more is read overlapping the one before, and a shorter range in 4-,
    /// 2- and 1-byte pieces, where `ByteHash` walks the tail byte by byte. Never reads outside the range.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ seed: UInt64) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        var h = seed ^ UInt64(truncatingIfNeeded: count)
        if count >= 8 {
            var i = 0
            while i + 8 < count {
                h = mix(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            h = mix(h, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        } else {
            var word: UInt64 = 0
            var i = 0
            if count & 4 != 0 {
                word = UInt64(raw.loadUnaligned(as: UInt32.self))
                i = 4
            }
            if count & 2 != 0 {
                word |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << UInt64(i * 8)
                i += 2
            }
            if count & 1 != 0 { word |= UInt64(bytes[i]) << UInt64(i * 8) }
            h = mix(h, word)
        }
        return mix(h, 0xE703_7ED1_A0B4_28DB)
    }

    @inline(__always)
    static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let product = (h ^ word).multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }

    /// Byte equality, eight bytes at a time; the tail as one overlapping word, or in 4-, 2- and 1-byte pieces
    /// for ranges under 8 bytes.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if a == b { return true }
        let x = UnsafeRawPointer(a)
        let y = UnsafeRawPointer(b)
        if count >= 8 {
            var i = 0
            while i + 8 < count {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        var i = 0
        if count & 4 != 0 {
            if x.loadUnaligned(as: UInt32.self) != y.loadUnaligned(as: UInt32.self) { return false }
            i = 4
        }
        if count & 2 != 0 {
            if x.loadUnaligned(fromByteOffset: i, as: UInt16.self) != y.loadUnaligned(fromByteOffset: i, as: UInt16.self) { return false }
            i += 2
        }
        return count & 1 == 0 || a[i] == b[i]
    }
}
