/// How one block of residuals is stored, chosen by exact bit cost; see FORMAT-chunk.md, "Rice block".
///
/// Modes (top 2 bits of the block byte): all zero; Rice of `value - base` with `base` the block minimum
/// (skewed data such as counter increments); Rice of `zigzag(value - base)` with `base` the rounded mean
/// (symmetric data such as gauge deltas); sparse: a bitmap of nonzero positions, then the nonzero values in
/// one of the two Rice forms (disk counters that are idle most of the time).
struct RiceBlockPlan {
    enum Mode: UInt8 {
        case zero = 0
        case offset = 1
        case zigzag = 2
        case sparse = 3
    }

    /// The dense form used for the values (for `.sparse`, for its nonzero values).
    var form: Mode
    var sparse: Bool
    var k: Int
    var base: Int64
    /// Encoded size of the block in bits, including its header bytes and padding.
    var bits: Int

    /// Picks the cheapest way to store `values`.
    static func plan(_ values: UnsafeBufferPointer<Int64>) -> RiceBlockPlan {
        let count = values.count
        var zeros = 0
        for value in values where value == 0 { zeros += 1 }
        if zeros == count { return RiceBlockPlan(form: .zero, sparse: false, k: 0, base: 0, bits: 8) }
        var best = bestForm(values, skipZeros: false)
        best.bits += 8
        if Double(zeros) >= Double(count) * ChunkFormat.sparseMinimumZeroFraction {
            var sparse = bestForm(values, skipZeros: true)
            sparse.bits += 16 + (count + 7) / 8 * 8
            sparse.sparse = true
            if sparse.bits < best.bits { best = sparse }
        }
        return best
    }

    /// The cheaper of the offset and zigzag forms over the (nonzero, if `skipZeros`) values, with its best `k`.
    /// `bits` counts the base varint and the padded Rice codes, not the mode byte(s).
    private static func bestForm(_ values: UnsafeBufferPointer<Int64>, skipZeros: Bool) -> RiceBlockPlan {
        var minimum = Int64.max
        var sum = 0.0
        var used = 0
        for value in values where !(skipZeros && value == 0) {
            minimum = min(minimum, value)
            sum += Double(value)
            used += 1
        }
        let mean = sum / Double(max(used, 1))
        var deviation = 0.0
        for value in values where !(skipZeros && value == 0) { deviation += abs(Double(value) - mean) }
        deviation /= Double(max(used, 1))

        let center = mean.isFinite && abs(mean) < 9.0e18 ? Int64(mean.rounded()) : 0
        let offset = bestK(values, skipZeros: skipZeros, base: minimum, zigzag: false, mean: mean - Double(minimum))
        let zigzag = bestK(values, skipZeros: skipZeros, base: center, zigzag: true, mean: 2 * deviation)
        var plan =
            offset.bits + varintBits(ZigZag.encode(minimum)) <= zigzag.bits + varintBits(ZigZag.encode(center))
            ? RiceBlockPlan(form: .offset, sparse: false, k: offset.k, base: minimum, bits: offset.bits)
            : RiceBlockPlan(form: .zigzag, sparse: false, k: zigzag.k, base: center, bits: zigzag.bits)
        plan.bits = (plan.bits + 7) / 8 * 8 + varintBits(ZigZag.encode(plan.base))
        return plan
    }

    /// Tries the Rice parameters around log2(mean) and returns the cheapest with its total code bits.
    private static func bestK(
        _ values: UnsafeBufferPointer<Int64>, skipZeros: Bool, base: Int64, zigzag: Bool, mean: Double
    ) -> (k: Int, bits: Int) {
        let center = mean >= 2 ? min(ChunkFormat.maxRiceParameter, Int(mean.exponent)) : 0  // floor(log2(mean))
        var best = (k: 0, bits: Int.max)
        for k in max(0, center - 1)...min(ChunkFormat.maxRiceParameter, max(0, center + 1)) {
            var bits = 0
            for value in values where !(skipZeros && value == 0) {
                bits += BitWriter.riceWidth(mapped(value, base: base, zigzag: zigzag), k: k)
            }
            if bits < best.bits { best = (k, bits) }
        }
        return best
    }

    /// The unsigned number a residual is Rice-coded as.
    @inline(__always)
    static func mapped(_ value: Int64, base: Int64, zigzag: Bool) -> UInt64 {
        zigzag ? ZigZag.encode(value &- base) : UInt64(bitPattern: value &- base)
    }

    static func varintBits(_ value: UInt64) -> Int {
        8 * max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    /// The block byte: mode in the top 2 bits, Rice parameter in the low 6.
    var modeByte: UInt8 {
        let mode: Mode = sparse ? .sparse : form
        return mode.rawValue << 6 | UInt8(k)
    }

    /// Appends the block: mode byte, [dense form byte if sparse], base, [bitmap], Rice codes.
    func write(_ values: UnsafeBufferPointer<Int64>, into writer: inout ByteWriter) {
        writer.writeUInt8(modeByte)
        if form == .zero { return }
        if sparse { writer.writeUInt8(form.rawValue) }
        writer.writeZigZag(base)
        let zigzag = form == .zigzag
        var bits = BitWriter()
        if sparse {
            for value in values { bits.write(value != 0 ? 1 : 0, width: 1, to: &writer) }
            bits.finish(to: &writer)
            for value in values where value != 0 {
                bits.writeRice(Self.mapped(value, base: base, zigzag: zigzag), k: k, to: &writer)
            }
        } else {
            for value in values { bits.writeRice(Self.mapped(value, base: base, zigzag: zigzag), k: k, to: &writer) }
        }
        bits.finish(to: &writer)
    }
}
