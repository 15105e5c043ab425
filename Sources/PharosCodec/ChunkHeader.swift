/// What a chunk's first bytes say about it: enough to skip it or filter it by time without decoding.
///
/// Parsed by ``ChunkDecoder/header(_:)`` from at most ~32 bytes. `minTimestampMs`/`maxTimestampMs` are the
/// first and last timestamps of the chunk (its points are in strictly increasing time order).
public struct ChunkHeader: Sendable, Equatable {
    /// Number of points, 1…8192.
    public var count: Int
    /// Timestamp of the first point, in ms since the Unix epoch.
    public var minTimestampMs: Int64
    /// Timestamp of the last point, in ms since the Unix epoch.
    public var maxTimestampMs: Int64
    /// Length of the whole chunk in bytes, header included: the offset of the next chunk.
    public var byteLength: Int
    /// How the timestamps are stored.
    public var timestampEncoding: TimestampEncoding
    /// How the values are stored.
    public var valueEncoding: ChunkEncoding

    /// Creates a header value (for tests and indexes that cache headers).
    public init(
        count: Int, minTimestampMs: Int64, maxTimestampMs: Int64, byteLength: Int,
        timestampEncoding: TimestampEncoding, valueEncoding: ChunkEncoding
    ) {
        self.count = count
        self.minTimestampMs = minTimestampMs
        self.maxTimestampMs = maxTimestampMs
        self.byteLength = byteLength
        self.timestampEncoding = timestampEncoding
        self.valueEncoding = valueEncoding
    }

    /// Reads the header fields, leaving `reader` at the first body byte after the span and ending at the chunk's end.
    ///
    /// Checks the version, the encodings, the count range and that the input holds `byteLength` bytes.
    init(reading reader: inout ByteReader) throws(CodecError) {
        let start = reader.offset
        let version = try reader.readUInt8()
        guard version == ChunkFormat.version else { throw CodecError.unsupportedVersion(version) }
        let encoding = try reader.readUInt8()
        guard let timestamps = TimestampEncoding(rawValue: encoding >> 4),
            let values = ChunkEncoding(rawValue: encoding & 0x0F)
        else { throw CodecError.unsupportedEncoding(encoding) }
        let count = try reader.readVarint()
        guard count >= 1, count <= UInt64(ChunkFormat.maxPoints) else {
            throw CodecError.corrupt("chunk at offset \(start) has \(count) points, outside 1…\(ChunkFormat.maxPoints)")
        }
        let bodyLength = try reader.readVarint()
        guard bodyLength <= UInt64(reader.remaining) else {
            throw CodecError.truncated(
                offset: reader.offset, needed: Int(clamping: bodyLength), remaining: reader.remaining)
        }
        let byteLength = reader.offset - start + Int(bodyLength)
        reader.truncate(to: start + byteLength)  // the span fields and body must lie inside the chunk
        let first = try reader.readZigZag()
        let span = try reader.readVarint()
        self.init(
            count: Int(count), minTimestampMs: first, maxTimestampMs: first &+ Int64(bitPattern: span),
            byteLength: byteLength, timestampEncoding: timestamps, valueEncoding: values)
    }
}
