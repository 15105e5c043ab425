/// Decodes chunks written by ``ChunkEncoder``; see FORMAT-chunk.md.
///
/// Stateless and thread-safe. Bad input throws ``CodecError`` and never traps or reads out of bounds:
/// every length is checked against the input before use and the bit streams read zeros past their end.
/// Checksums are the storage layer's job (CRC32C on the record holding the chunk).
public enum ChunkDecoder {
    /// Parses only the header: point count, first/last timestamp, byte length and encodings.
    ///
    /// Use it to skip chunks outside a query's time range without decoding them.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> ChunkHeader {
        var reader = ByteReader(bytes)
        return try ChunkHeader(reading: &reader)
    }

    /// The length in bytes of the chunk at the start of `bytes`: the offset of the next chunk.
    public static func chunkLength(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> Int {
        try header(bytes).byteLength
    }

    /// Appends the points of the chunk at the start of `bytes` to `timestamps` and `values`, and returns the
    /// number of bytes the chunk occupies.
    ///
    /// On error both arrays are left as they were. Reserve capacity in the arrays when decoding many chunks.
    @discardableResult
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, timestamps: inout [Int64], values: inout [Double]
    ) throws(CodecError) -> Int {
        var reader = ByteReader(bytes)
        let header = try ChunkHeader(reading: &reader)
        let count = header.count
        let oldTimestamps = timestamps.count
        let oldValues = values.count
        timestamps.append(contentsOf: repeatElement(0, count: count))
        values.append(contentsOf: repeatElement(0, count: count))
        var failure: CodecError?
        timestamps.withUnsafeMutableBufferPointer { allTimestamps in
            values.withUnsafeMutableBufferPointer { allValues in
                do throws(CodecError) {
                    try decodeBody(
                        &reader, header: header,
                        timestamps: UnsafeMutableBufferPointer(rebasing: allTimestamps[oldTimestamps...]),
                        values: UnsafeMutableBufferPointer(rebasing: allValues[oldValues...]))
                } catch {
                    failure = error
                }
            }
        }
        if failure == nil && reader.offset != header.byteLength {
            failure = .corrupt("chunk body is \(header.byteLength) bytes but its encodings used \(reader.offset)")
        }
        if let failure {
            timestamps.removeLast(count)
            values.removeLast(count)
            throw failure
        }
        return header.byteLength
    }

    /// Decodes the timestamp and value bodies; `reader` stands after the header's span field.
    private static func decodeBody(
        _ reader: inout ByteReader, header: ChunkHeader,
        timestamps: UnsafeMutableBufferPointer<Int64>, values: UnsafeMutableBufferPointer<Double>
    ) throws(CodecError) {
        let count = header.count
        let first = header.minTimestampMs
        let span = UInt64(bitPattern: header.maxTimestampMs &- first)
        var bodyReader = try reader.limited(to: header.byteLength)
        defer { reader = bodyReader }
        switch header.timestampEncoding {
        case .deltaConst:
            let step = count > 1 ? span / UInt64(count - 1) : 0
            guard step &* UInt64(count - 1) == span else {
                throw CodecError.corrupt("constant-step chunk: span \(span) is not a multiple of \(count - 1) steps")
            }
            var current = first
            for index in 0..<count {
                timestamps[index] = current
                current = current &+ Int64(bitPattern: step)
            }
        case .packed:
            let divisor = try IntegerSequenceDecoder.decode(&bodyReader, into: timestamps)
            for index in 0..<count { timestamps[index] = first &+ timestamps[index] &* divisor }
            guard timestamps[0] == first, timestamps[count - 1] == header.maxTimestampMs else {
                throw CodecError.corrupt("chunk timestamps do not start and end at the header's first and last")
            }
        }

        switch header.valueEncoding {
        case .constant:
            let value = Double(bitPattern: try bodyReader.readUInt64LE())
            values.update(repeating: value)
        case .decimal:
            let exponent = Int(try bodyReader.readUInt8())
            guard exponent <= ChunkFormat.maxDecimalExponent else {
                throw CodecError.corrupt("decimal exponent \(exponent) exceeds \(ChunkFormat.maxDecimalExponent)")
            }
            let base = try bodyReader.readZigZag()
            let power = DecimalScaling.powersOfTen[exponent]
            var failure: CodecError?
            values.withMemoryRebound(to: Int64.self) { mantissas in
                do throws(CodecError) {
                    let divisor = try IntegerSequenceDecoder.decode(&bodyReader, into: mantissas)
                    if exponent == 0 {
                        for index in 0..<count {
                            let m = base &+ mantissas[index] &* divisor
                            mantissas[index] = Int64(bitPattern: Double(m).bitPattern)
                        }
                    } else {
                        for index in 0..<count {
                            let m = base &+ mantissas[index] &* divisor
                            mantissas[index] = Int64(bitPattern: (Double(m) / power).bitPattern)
                        }
                    }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        case .xorFloat:
            try XORFloatCoder.decode(&bodyReader, into: values)
        }
    }
}

extension ByteReader {
    /// A reader over this reader's bytes up to absolute offset `end`, positioned at the current offset.
    fileprivate func limited(to end: Int) throws(CodecError) -> ByteReader {
        var copy = self
        copy.truncate(to: end)
        return copy
    }
}
