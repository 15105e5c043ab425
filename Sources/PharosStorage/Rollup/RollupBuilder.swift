import PharosCodec

/// Computes and encodes the pre-aggregates of one series, and decodes them back.
///
/// The sums are added in time order, left to right, exactly as a raw downsample over the same bucket adds
/// them, so a query served from rollups gives the same bits as one computed from raw points.
enum RollupBuilder {
    /// Aggregates `points` into buckets of `intervalMs` aligned to `t - t % intervalMs`.
    static func aggregate(_ points: PointSeries, intervalMs: Int64) -> RollupBuckets {
        var buckets = RollupBuckets(intervalMs: intervalMs)
        var i = 0
        let n = points.count
        while i < n {
            let t0 = points.timestamps[i]
            let start = t0 - ((t0 % intervalMs) + intervalMs) % intervalMs
            let end = start + intervalMs
            var count: Int64 = 0
            var sum = 0.0
            var low = Double.infinity
            var high = -Double.infinity
            let first = points.values[i]
            var last = first
            while i < n && points.timestamps[i] < end {
                let v = points.values[i]
                count += 1
                sum += v
                low = Swift.min(low, v)
                high = Swift.max(high, v)
                last = v
                i += 1
            }
            buckets.append(start: start, count: count, sum: sum, min: low, max: high, first: first, last: last)
        }
        return buckets
    }

    /// Appends `[varint intervalSeconds][6 chunk runs: count, sum, min, max, first, last]` per interval.
    static func encode(_ all: [RollupBuckets], into writer: inout ByteWriter) {
        writer.writeVarint(UInt64(all.count))
        for buckets in all {
            writer.writeVarint(UInt64(buckets.intervalMs))
            writer.writeVarint(UInt64(buckets.count))
            for column in [buckets.counts.map(Double.init), buckets.sums, buckets.mins, buckets.maxs, buckets.firsts, buckets.lasts] {
                ChunkBuilder.encode(PointSeries(timestamps: buckets.starts, values: column), into: &writer)
            }
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, intervalMs wanted: Int64) throws -> RollupBuckets? {
        var reader = ByteReader(bytes)
        let intervals = try reader.readVarint()
        for _ in 0..<intervals {
            let intervalMs = Int64(try reader.readVarint())
            let count = Int(try reader.readVarint())
            var columns: [PointSeries] = []
            for _ in 0..<6 {
                var column = PointSeries()
                while column.count < count {
                    let consumed = try ChunkDecoder.decode(reader.unreadBytes, timestamps: &column.timestamps, values: &column.values)
                    try reader.skip(consumed)
                }
                columns.append(column)
            }
            guard intervalMs == wanted else { continue }
            var buckets = RollupBuckets(intervalMs: intervalMs)
            buckets.starts = columns[0].timestamps
            buckets.counts = columns[0].values.map { Int64($0) }
            buckets.sums = columns[1].values
            buckets.mins = columns[2].values
            buckets.maxs = columns[3].values
            buckets.firsts = columns[4].values
            buckets.lasts = columns[5].values
            return buckets
        }
        return nil
    }
}

extension RollupBuckets {
    mutating func append(start: Int64, count: Int64, sum: Double, min: Double, max: Double, first: Double, last: Double) {
        starts.append(start)
        counts.append(count)
        sums.append(sum)
        mins.append(min)
        maxs.append(max)
        firsts.append(first)
        lasts.append(last)
    }

    /// Appends bucket `index` of `other`.
    mutating func append(_ other: RollupBuckets, at index: Int) {
        append(
            start: other.starts[index], count: other.counts[index], sum: other.sums[index], min: other.mins[index],
            max: other.maxs[index], first: other.firsts[index], last: other.lasts[index])
    }
}
