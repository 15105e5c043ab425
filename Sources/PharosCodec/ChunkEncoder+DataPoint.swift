public import PharosCore

extension ChunkEncoder {
    /// Appends one chunk holding `points`, for callers that keep ``DataPoint`` values (tests, small batches).
    ///
    /// The storage engine's hot path keeps timestamps and values in separate arrays and calls
    /// ``encode(timestamps:values:into:)-(UnsafeBufferPointer<Int64>,_,_)`` directly, with no copy.
    public static func encode(points: [DataPoint], into writer: inout ByteWriter) {
        encode(timestamps: points.map(\.timestampMs), values: points.map(\.value), into: &writer)
    }
}

extension ChunkDecoder {
    /// Appends the points of the chunk at the start of `bytes` to `points`; returns the chunk's byte length.
    @discardableResult
    public static func decode(_ bytes: UnsafeRawBufferPointer, points: inout [DataPoint]) throws(CodecError) -> Int {
        var timestamps: [Int64] = []
        var values: [Double] = []
        let length = try decode(bytes, timestamps: &timestamps, values: &values)
        points.reserveCapacity(points.count + timestamps.count)
        for index in timestamps.indices {
            points.append(DataPoint(timestampMs: timestamps[index], value: values[index]))
        }
        return length
    }
}
