/// Stores a sequence of integers (timestamp offsets or decimal mantissas) compactly; see FORMAT-chunk.md.
///
/// Layout: `gcd` varint, `order` byte, then Rice blocks of ``ChunkFormat/blockSize`` residuals. The values
/// are divided by their GCD (byte counts that are multiples of 4096 lose 12 bits), then replaced by their
/// order-0, -1 or -2 differences (gauges, counters, smooth counters), all with wrapping arithmetic so any
/// Int64 sequence round-trips. The order is chosen by a frame-of-reference width estimate, the block modes
/// by exact bit cost.
enum IntegerSequenceEncoder {
    /// Appends `values` (overwritten: used as scratch) to `writer`; `scratch` holds at least `values.count`.
    static func encode(
        _ values: UnsafeMutableBufferPointer<Int64>, scratch: UnsafeMutableBufferPointer<Int64>,
        into writer: inout ByteWriter
    ) {
        let count = values.count
        var divisor: UInt64 = 0
        for value in values { divisor = gcd(divisor, value.magnitude) }
        if divisor == 0 || divisor > UInt64(Int64.max) { divisor = 1 }
        if divisor > 1 {
            let signedDivisor = Int64(divisor)
            for index in 0..<count { values[index] /= signedDivisor }
        }

        var bestOrder = 0
        var bestCost = Int.max
        _ = scratch.initialize(fromContentsOf: values)
        for order in 0...2 {
            if order > 0 { difference(UnsafeMutableBufferPointer(rebasing: scratch[0..<count])) }
            let cost = referenceWidthCost(UnsafeBufferPointer(rebasing: scratch[0..<count]))
            if cost < bestCost {
                bestCost = cost
                bestOrder = order
            }
        }
        for _ in 0..<bestOrder { difference(values) }

        writer.writeVarint(divisor)
        writer.writeUInt8(UInt8(bestOrder))
        var start = 0
        while start < count {
            let block = UnsafeBufferPointer(rebasing: values[start..<min(count, start + ChunkFormat.blockSize)])
            RiceBlockPlan.plan(block).write(block, into: &writer)
            start += ChunkFormat.blockSize
        }
    }

    /// Replaces each element but the first with its difference from the previous one (wrapping).
    static func difference(_ values: UnsafeMutableBufferPointer<Int64>) {
        var index = values.count - 1
        while index > 0 {
            values[index] = values[index] &- values[index - 1]
            index -= 1
        }
    }

    /// Bits a per-block frame-of-reference packing would take: a cheap proxy to rank the delta orders.
    private static func referenceWidthCost(_ values: UnsafeBufferPointer<Int64>) -> Int {
        var cost = 0
        var start = 0
        while start < values.count {
            let end = min(values.count, start + ChunkFormat.blockSize)
            var low = Int64.max
            var high = Int64.min
            for index in start..<end {
                low = min(low, values[index])
                high = max(high, values[index])
            }
            let range = UInt64(bitPattern: high &- low)
            cost += (end - start) * (64 - range.leadingZeroBitCount)
            start = end
        }
        return cost
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
