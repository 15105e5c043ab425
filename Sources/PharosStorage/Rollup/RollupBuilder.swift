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
            guard intervalMs == wanted else {
                for _ in 0..<6 { try skipColumn(&reader, count: count) }
                continue
            }
            // Columns decode straight into the result; the bucket starts are kept from the first column only.
            var buckets = RollupBuckets(intervalMs: intervalMs)
            var starts: [Int64] = []
            var scratch: [Int64] = []
            var counts: [Double] = []
            starts.reserveCapacity(count)
            scratch.reserveCapacity(count)
            try decodeColumn(&reader, count: count, timestamps: &starts, values: &counts)
            buckets.starts = starts
            buckets.counts = counts.map { Int64($0) }
            for keyPath in [\RollupBuckets.sums, \.mins, \.maxs, \.firsts, \.lasts] as [WritableKeyPath<RollupBuckets, [Double]>] {
                scratch.removeAll(keepingCapacity: true)
                buckets[keyPath: keyPath].reserveCapacity(count)
                try decodeColumn(&reader, count: count, timestamps: &scratch, values: &buckets[keyPath: keyPath])
            }
            return buckets
        }
        return nil
    }

    private static func decodeColumn(_ reader: inout ByteReader, count: Int, timestamps: inout [Int64], values: inout [Double]) throws {
        let target = values.count + count
        while values.count < target {
            let consumed = try ChunkDecoder.decode(reader.unreadBytes, timestamps: &timestamps, values: &values)
            try reader.skip(consumed)
        }
    }

    private static func skipColumn(_ reader: inout ByteReader, count: Int) throws {
        var remaining = count
        while remaining > 0 {
            let header = try ChunkDecoder.header(reader.unreadBytes)
            try reader.skip(header.byteLength)
            remaining -= header.count
        }
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
