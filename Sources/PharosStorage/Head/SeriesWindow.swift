import PharosCodec
import PharosCore

/// The points of one series inside one head window: encoded chunks, an in-order tail not yet encoded,
/// and points that arrived out of order (merged, last write wins, when read or sealed).
///
/// A value type owned by `MemSeries` and only touched under that series' lock; readers copy it
/// (its arrays are copy-on-write, so a copy is cheap).
struct SeriesWindow: Sendable {
    let window: HeadWindow
    var chunks = ByteWriter()
    var chunkCount = 0
    var encodedPoints = 0
    var tailTimestamps: [Int64] = []
    var tailValues: [Double] = []
    var firstTimestampMs = Int64.max
    var lastTimestampMs = Int64.min
    var outOfOrder: [DataPointArrival] = []

    init(window: HeadWindow) {
        self.window = window
    }

    var pointCount: Int { encodedPoints + tailTimestamps.count + outOfOrder.count }

    mutating func append(timestampMs: Int64, value: Double, chunkPoints: Int) {
        if timestampMs > lastTimestampMs {
            if firstTimestampMs == Int64.max { firstTimestampMs = timestampMs }
            tailTimestamps.append(timestampMs)
            tailValues.append(value)
            lastTimestampMs = timestampMs
            if tailTimestamps.count >= chunkPoints { encodeTail() }
        } else {
            outOfOrder.append(DataPointArrival(timestampMs: timestampMs, value: value))
        }
    }

    /// Moves the in-order tail into an encoded chunk.
    mutating func encodeTail() {
        guard !tailTimestamps.isEmpty else { return }
        tailTimestamps.withUnsafeBufferPointer { ts in
            tailValues.withUnsafeBufferPointer { vs in
                ChunkEncoder.encode(timestamps: ts, values: vs, into: &chunks)
            }
        }
        chunkCount += 1
        encodedPoints += tailTimestamps.count
        // Give the buffers back: a window rarely fills a second chunk, and thousands of series × windows
        // of kept capacity were most of the head's memory.
        tailTimestamps = []
        tailValues = []
    }

    /// All points in time order, duplicates resolved (the later arrival wins).
    func points(into series: inout PointSeries) throws {
        var inOrder = PointSeries()
        inOrder.reserve(encodedPoints + tailTimestamps.count)
        try chunks.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                offset += try ChunkDecoder.decode(
                    UnsafeRawBufferPointer(rebasing: raw[offset...]), timestamps: &inOrder.timestamps, values: &inOrder.values)
            }
        }
        inOrder.timestamps.append(contentsOf: tailTimestamps)
        inOrder.values.append(contentsOf: tailValues)
        guard !outOfOrder.isEmpty else {
            series.append(contentsOf: inOrder)
            return
        }
        var late = PointSeries()
        // Stable sort keeps arrival order among equal timestamps, so the last arrival is kept by `merged`.
        for arrival in outOfOrder.enumerated().sorted(by: { ($0.element.timestampMs, $0.offset) < ($1.element.timestampMs, $1.offset) }) {
            late.appendReplacingEqual(timestampMs: arrival.element.timestampMs, value: arrival.element.value)
        }
        series.append(contentsOf: PointSeries.merged(older: inOrder, newer: late))
    }
}

/// A point as it arrived out of order.
struct DataPointArrival: Sendable {
    var timestampMs: Int64
    var value: Double
}
