/// Reads a sequence written by ``IntegerSequenceEncoder``.
///
/// Validates every field it trusts (order, block mode, Rice parameter, bit-stream bounds) and throws
/// ``CodecError/corrupt(_:)`` otherwise; decoding garbage never reads out of bounds and always terminates.
enum IntegerSequenceDecoder {
    /// Decodes `output.count` integers into `output` and returns the GCD they still have to be multiplied by.
    static func decode(
        _ reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(CodecError) -> Int64 {
        let divisor = try reader.readVarint()
        guard divisor >= 1, divisor <= UInt64(Int64.max) else {
            throw CodecError.corrupt("integer sequence GCD \(divisor) at offset \(reader.offset) is out of range")
        }
        let order = try reader.readUInt8()
        guard order <= 2 else {
            throw CodecError.corrupt("integer sequence delta order \(order) at offset \(reader.offset - 1) is not 0, 1 or 2")
        }
        let count = output.count
        guard let out = output.baseAddress else { return Int64(divisor) }
        var start = 0
        while start < count {
            let blockCount = min(ChunkFormat.blockSize, count - start)
            try decodeBlock(&reader, into: out + start, count: blockCount)
            start += blockCount
        }
        for _ in 0..<order {
            var running: Int64 = 0
            for index in 0..<count {
                running = running &+ out[index]
                out[index] = running
            }
        }
        return Int64(divisor)
    }

    private static func decodeBlock(
        _ reader: inout ByteReader, into out: UnsafeMutablePointer<Int64>, count: Int
    ) throws(CodecError) {
        let blockOffset = reader.offset
        let modeByte = try reader.readUInt8()
        let k = Int(modeByte & 0x3F)
        guard let mode = RiceBlockPlan.Mode(rawValue: modeByte >> 6) else { preconditionFailure("BUG: 2-bit mode") }
        if mode == .zero {
            out.update(repeating: 0, count: count)
            return
        }
        guard k <= ChunkFormat.maxRiceParameter else {
            throw CodecError.corrupt("Rice parameter \(k) of the block at offset \(blockOffset) exceeds \(ChunkFormat.maxRiceParameter)")
        }
        var form = mode
        if mode == .sparse {
            let formByte = try reader.readUInt8()
            guard formByte == RiceBlockPlan.Mode.offset.rawValue || formByte == RiceBlockPlan.Mode.zigzag.rawValue else {
                throw CodecError.corrupt("sparse block at offset \(blockOffset) has dense form \(formByte), not 1 or 2")
            }
            form = formByte == 1 ? .offset : .zigzag
        }
        let base = try reader.readZigZag()
        if mode == .sparse {
            let bitmap = try reader.readBytes((count + 7) / 8)
            try decodeSparse(&reader, bitmap: bitmap, into: out, count: count, k: k, base: base, zigzag: form == .zigzag)
            return
        }
        let rest = reader.unreadBytes
        guard let start = rest.baseAddress else {
            throw CodecError.truncated(offset: reader.offset, needed: 1, remaining: 0)
        }
        var bits = BitReader(start, byteCount: rest.count)
        if form == .zigzag {
            for index in 0..<count { out[index] = ZigZag.decode(bits.readRice(k: k)) &+ base }
        } else {
            let unsignedBase = UInt64(bitPattern: base)
            for index in 0..<count { out[index] = Int64(bitPattern: bits.readRice(k: k) &+ unsignedBase) }
        }
        guard !bits.isOverrun else {
            throw CodecError.truncated(offset: reader.offset, needed: bits.consumedBytes, remaining: rest.count)
        }
        try reader.skip(bits.consumedBytes)
    }

    private static func decodeSparse(
        _ reader: inout ByteReader, bitmap: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Int64>,
        count: Int, k: Int, base: Int64, zigzag: Bool
    ) throws(CodecError) {
        let rest = reader.unreadBytes
        guard let start = rest.baseAddress, let flags = bitmap.baseAddress else {
            throw CodecError.truncated(offset: reader.offset, needed: 1, remaining: 0)
        }
        var bits = BitReader(start, byteCount: rest.count)
        for index in 0..<count {
            let present = (flags.load(fromByteOffset: index >> 3, as: UInt8.self) >> UInt8(index & 7)) & 1
            if present == 0 {
                out[index] = 0
            } else {
                let code = bits.readRice(k: k)
                out[index] = zigzag ? ZigZag.decode(code) &+ base : Int64(bitPattern: code &+ UInt64(bitPattern: base))
            }
        }
        guard !bits.isOverrun else {
            throw CodecError.truncated(offset: reader.offset, needed: bits.consumedBytes, remaining: rest.count)
        }
        try reader.skip(bits.consumedBytes)
    }
}
