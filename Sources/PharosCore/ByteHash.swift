/// A fast, non-cryptographic 64-bit hash over bytes, used to find series by their raw key bytes.
///
/// Reads eight bytes at a time; stable across runs and processes (it is never persisted, but tests
/// rely on it being deterministic). Not for hash-flooding resistance: keys come from clients, so
/// tables that use it must resolve collisions by comparing bytes.
public enum ByteHash {
    /// Hashes `count` bytes at `base`, continuing from `seed` so that several ranges can be chained.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        var h = seed ^ UInt64(truncatingIfNeeded: bytes.count)
        var offset = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return finish(h) }
        while offset + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = step(h, word)
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift += 8
                offset += 1
            }
            h = step(h, tail ^ 0xFF)
        }
        return finish(h)
    }

    @inlinable @inline(__always)
    static func step(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let product = (h ^ word).multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }

    @inlinable @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 {
        let product = h.multipliedFullWidth(by: 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }

    /// Hashes a string's UTF-8 bytes.
    public static func hash(_ string: String, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        var copy = string
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
