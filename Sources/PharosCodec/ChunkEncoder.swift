/// Encodes the points of one series into a self-delimiting chunk; see FORMAT-chunk.md.
///
/// ```
/// version u8 | encoding u8 (timestamps << 4 | values) | count varint | bodyLength varint |
/// firstTimestampMs zigzag | lastTimestampMs - first varint | timestamp body | value body
/// ```
/// Stateless and thread-safe; appends into the caller's writer. Lossless: every value, including -0.0,
/// NaN payloads and infinities, decodes to the same bit pattern.
public enum ChunkEncoder {
    /// The most points one chunk holds; cut longer runs into several chunks.
    public static let maxPoints = ChunkFormat.maxPoints

    /// Appends one chunk holding `timestamps[i], values[i]` to `writer`.
    ///
    /// - Precondition: 1…``maxPoints`` points, as many values as timestamps, timestamps strictly
    ///   increasing (the header's min/max are the first/last timestamps; other orders still round-trip).
    public static func encode(
        timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>, into writer: inout ByteWriter
    ) {
        let count = timestamps.count
        precondition(count >= 1 && count <= maxPoints, "a chunk holds 1…\(maxPoints) points, not \(count)")
        precondition(values.count == count, "\(count) timestamps but \(values.count) values")
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: 2 * count) { scratch in
            let first = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            let second = UnsafeMutableBufferPointer(rebasing: scratch[count..<(2 * count)])
            var body = ByteWriter(capacity: count * 2 + 64)
            let first0 = timestamps[0]
            let span = timestamps[count - 1] &- first0
            body.writeZigZag(first0)
            body.writeVarint(UInt64(bitPattern: span))

            let timestampEncoding: TimestampEncoding = isDeltaConst(timestamps) ? .deltaConst : .packed
            if timestampEncoding == .packed {
                for index in 0..<count { first[index] = timestamps[index] &- first0 }
                IntegerSequenceEncoder.encode(first, scratch: second, into: &body)
            }

            let valueEncoding: ChunkEncoding
            let pattern = values[0].bitPattern
            if values.allSatisfy({ $0.bitPattern == pattern }) {
                valueEncoding = .constant
                body.writeUInt64LE(pattern)
            } else if let exponent = DecimalScaling.scale(values, into: first) {
                valueEncoding = .decimal
                let base = first[0]
                body.writeUInt8(UInt8(exponent))
                body.writeZigZag(base)
                for index in 0..<count { first[index] = first[index] &- base }
                IntegerSequenceEncoder.encode(first, scratch: second, into: &body)
            } else {
                valueEncoding = .xorFloat
                XORFloatCoder.encode(values, into: &body)
            }

            writer.writeUInt8(ChunkFormat.version)
            writer.writeUInt8(timestampEncoding.rawValue << 4 | valueEncoding.rawValue)
            writer.writeVarint(UInt64(count))
            writer.writeVarint(UInt64(body.count))
            body.withUnsafeBytes { writer.writeBytes($0) }
        }
    }

    /// Appends one chunk holding `points` (same contract as the buffer form).
    public static func encode(timestamps: [Int64], values: [Double], into writer: inout ByteWriter) {
        timestamps.withUnsafeBufferPointer { ts in
            values.withUnsafeBufferPointer { vs in encode(timestamps: ts, values: vs, into: &writer) }
        }
    }

    /// True if the decoder can rebuild the timestamps from first, last and count alone.
    private static func isDeltaConst(_ timestamps: UnsafeBufferPointer<Int64>) -> Bool {
        let count = timestamps.count
        guard count > 1 else { return true }
        let step = timestamps[1] &- timestamps[0]
        for index in 2..<count where timestamps[index] &- timestamps[index - 1] != step { return false }
        let span = UInt64(bitPattern: timestamps[count - 1] &- timestamps[0])
        let (product, overflow) = UInt64(bitPattern: step).multipliedReportingOverflow(by: UInt64(count - 1))
        return !overflow && product == span
    }
}
