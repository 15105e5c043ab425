import PharosCodec
import PharosCore

/// Encodes a whole run of points as consecutive chunks of at most `maxPoints`.
enum ChunkBuilder {
    /// VictoriaMetrics' block size; the codec's per-chunk overhead is negligible at this length.
    static let maxPoints = 8192

    static func encode(_ series: PointSeries, into writer: inout ByteWriter) {
        var offset = 0
        series.timestamps.withUnsafeBufferPointer { ts in
            series.values.withUnsafeBufferPointer { vs in
                while offset < ts.count {
                    let end = min(ts.count, offset + maxPoints)
                    ChunkEncoder.encode(
                        timestamps: UnsafeBufferPointer(rebasing: ts[offset..<end]),
                        values: UnsafeBufferPointer(rebasing: vs[offset..<end]), into: &writer)
                    offset = end
                }
            }
        }
    }
}
