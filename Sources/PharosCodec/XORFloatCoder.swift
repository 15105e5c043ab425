/// Gorilla XOR coding of IEEE-754 bit patterns: the exact fallback for values with no short decimal form.
///
/// First value: 64 raw bits. Then per value, XOR with the previous one: `0` if equal; `1,0` + the meaningful
/// bits if they fit the previous window; `1,1` + 6-bit leading-zero count + 6-bit (width − 1) + the
/// meaningful bits otherwise (Pelkonen et al. 2015, as in Prometheus' `xor.go`; 6-bit leading count so no
/// clamping). Bits least significant first, padded to a byte at the end.
enum XORFloatCoder {
    /// Appends the bit stream of `values` to `writer`.
    static func encode(_ values: UnsafeBufferPointer<Double>, into writer: inout ByteWriter) {
        var bits = BitWriter()
        var previous = values[0].bitPattern
        bits.write(previous & 0xFFFF_FFFF, width: 32, to: &writer)
        bits.write(previous >> 32, width: 32, to: &writer)
        var windowLeading = -1
        var windowTrailing = 0
        for index in 1..<values.count {
            let current = values[index].bitPattern
            let xor = current ^ previous
            previous = current
            if xor == 0 {
                bits.write(0, width: 1, to: &writer)
                continue
            }
            let leading = xor.leadingZeroBitCount
            let trailing = xor.trailingZeroBitCount
            if windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing {
                bits.write(0b01, width: 2, to: &writer)
                bits.write(xor >> UInt64(windowTrailing), width: 64 - windowLeading - windowTrailing, to: &writer)
            } else {
                let width = 64 - leading - trailing
                bits.write(0b11, width: 2, to: &writer)
                bits.write(UInt64(leading), width: 6, to: &writer)
                bits.write(UInt64(width - 1), width: 6, to: &writer)
                bits.write(xor >> UInt64(trailing), width: width, to: &writer)
                windowLeading = leading
                windowTrailing = trailing
            }
        }
        bits.finish(to: &writer)
    }

    /// Decodes `output.count` values from the reader's current position.
    static func decode(_ reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Double>) throws(CodecError) {
        let rest = reader.unreadBytes
        guard let start = rest.baseAddress, let out = output.baseAddress else {
            throw CodecError.truncated(offset: reader.offset, needed: 8, remaining: rest.count)
        }
        var bits = BitReader(start, byteCount: rest.count)
        var previous = bits.readWide(64)
        out[0] = Double(bitPattern: previous)
        var windowLeading = -1
        var windowTrailing = 0
        for index in 1..<output.count {
            if bits.read(1) != 0 {
                if bits.read(1) != 0 {
                    windowLeading = Int(bits.read(6))
                    let width = Int(bits.read(6)) + 1
                    guard windowLeading + width <= 64 else {
                        throw CodecError.corrupt(
                            "XOR float value \(index) at offset \(reader.offset): window \(windowLeading)+\(width) exceeds 64 bits")
                    }
                    windowTrailing = 64 - windowLeading - width
                } else if windowLeading < 0 {
                    throw CodecError.corrupt("XOR float value \(index) at offset \(reader.offset) reuses a window never set")
                }
                let width = 64 - windowLeading - windowTrailing
                previous ^= bits.readWide(width) << UInt64(windowTrailing)
            }
            out[index] = Double(bitPattern: previous)
            if bits.isOverrun { break }
        }
        guard !bits.isOverrun else {
            throw CodecError.truncated(offset: reader.offset, needed: bits.consumedBytes, remaining: rest.count)
        }
        try reader.skip(bits.consumedBytes)
    }
}
