/// Appends bit fields least-significant-bit first into a ``ByteWriter``, 64 bits at a time.
///
/// The first field written occupies the lowest bits of the first byte. ``finish()`` pads the last byte
/// with zero bits, so every bit stream in a chunk starts and ends on a byte boundary.
struct BitWriter {
    private var accumulator: UInt64 = 0
    private var pending = 0

    /// Appends the low `width` bits of `value` (0…64); higher bits of `value` must be zero.
    @inline(__always)
    mutating func write(_ value: UInt64, width: Int, to writer: inout ByteWriter) {
        guard width > 0 else { return }
        accumulator |= value &<< UInt64(pending)
        let total = pending + width
        if total >= 64 {
            writer.writeUInt64LE(accumulator)
            accumulator = pending == 0 ? 0 : value &>> UInt64(64 - pending)
            pending = total - 64
        } else {
            pending = total
        }
    }

    /// Appends a Rice code of `value` with parameter `k`: the quotient in unary, then the low `k` bits.
    ///
    /// Quotients of ``ChunkFormat/riceEscapeQuotient`` or more are written as that many zero bits followed by
    /// the full 64-bit value, so one outlier costs 88 bits instead of a huge unary run.
    @inline(__always)
    mutating func writeRice(_ value: UInt64, k: Int, to writer: inout ByteWriter) {
        let quotient = value &>> UInt64(k)
        if quotient < UInt64(ChunkFormat.riceEscapeQuotient) {
            write(1 &<< quotient, width: Int(quotient) + 1, to: &writer)
            write(value & ((1 &<< UInt64(k)) &- 1), width: k, to: &writer)
        } else {
            write(0, width: ChunkFormat.riceEscapeQuotient, to: &writer)
            write(value & 0xFFFF_FFFF, width: 32, to: &writer)
            write(value >> 32, width: 32, to: &writer)
        }
    }

    /// The number of bits a Rice code of `value` with parameter `k` takes.
    @inline(__always)
    static func riceWidth(_ value: UInt64, k: Int) -> Int {
        let quotient = value &>> UInt64(k)
        return quotient < UInt64(ChunkFormat.riceEscapeQuotient)
            ? Int(quotient) + 1 + k : ChunkFormat.riceEscapeQuotient + 64
    }

    /// Writes the pending bits, padded with zeros to a whole byte.
    mutating func finish(to writer: inout ByteWriter) {
        var bits = pending
        while bits > 0 {
            writer.writeUInt8(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            bits -= 8
        }
        accumulator = 0
        pending = 0
    }
}
