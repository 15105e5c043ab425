/// Reads bit fields written by ``BitWriter`` from a borrowed byte range, with one bounds check per load.
///
/// Past the end of the range it reads zero bits instead of memory, so a corrupt stream can never read out
/// of bounds; callers check ``isOverrun`` after a block and throw. Rice codes have a bounded length
/// (escape after ``ChunkFormat/riceEscapeQuotient`` zeros), so decoding garbage always terminates.
struct BitReader {
    private let base: UnsafeRawPointer
    private let byteCount: Int
    /// Bits consumed from the start of the range.
    private(set) var position = 0

    init(_ base: UnsafeRawPointer, byteCount: Int) {
        self.base = base
        self.byteCount = byteCount
    }

    /// True if more bits were consumed than the range holds (the stream is corrupt or truncated).
    var isOverrun: Bool { position > byteCount * 8 }

    /// Bytes consumed, counting a partly used last byte as whole.
    var consumedBytes: Int { (position + 7) >> 3 }

    /// At least 57 bits starting at the current position, in the low bits (zeros past the end).
    @inline(__always)
    func peek() -> UInt64 {
        let byte = position >> 3
        if byte + 8 <= byteCount {
            return UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self)) &>> UInt64(position & 7)
        }
        return slowPeek(byte)
    }

    @inline(never)
    private func slowPeek(_ byte: Int) -> UInt64 {
        var word: UInt64 = 0
        var index = byte
        while index < byteCount && index < byte + 8 {
            word |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << UInt64((index - byte) * 8)
            index += 1
        }
        return word &>> UInt64(position & 7)
    }

    /// Consumes `width` bits (0…57).
    @inline(__always)
    mutating func read(_ width: Int) -> UInt64 {
        let value = peek() & ((1 &<< UInt64(width)) &- 1)
        position += width
        return value
    }

    /// Consumes `width` bits (0…64).
    @inline(__always)
    mutating func readWide(_ width: Int) -> UInt64 {
        if width <= 32 { return read(width) }
        let low = read(32)
        return low | (read(width - 32) << 32)
    }

    /// Consumes one Rice code with parameter `k` (0…56).
    @inline(__always)
    mutating func readRice(k: Int) -> UInt64 {
        let window = peek()
        let quotient = window.trailingZeroBitCount
        if quotient >= ChunkFormat.riceEscapeQuotient {
            position += ChunkFormat.riceEscapeQuotient
            let low = read(32)
            return low | (read(32) << 32)
        }
        position += quotient + 1
        let used = quotient + 1 + k
        let low: UInt64
        if used <= 57 {
            low = (window &>> UInt64(quotient + 1)) & ((1 &<< UInt64(k)) &- 1)
        } else {
            low = peek() & ((1 &<< UInt64(k)) &- 1)
        }
        position += k
        return (UInt64(quotient) &<< UInt64(k)) | low
    }
}
