import PharosCore
/// Points of one series in struct-of-arrays form: strictly increasing timestamps and their values.
///
/// The read path's currency: decoders append into it without per-point allocation, merges build it.
public struct PointSeries: Sendable, Equatable {
    public var timestamps: [Int64] = []
    public var values: [Double] = []

    public init() {}

    public init(timestamps: [Int64], values: [Double]) {
        self.timestamps = timestamps
        self.values = values
    }

    public var count: Int { timestamps.count }
    public var isEmpty: Bool { timestamps.isEmpty }

    public mutating func reserve(_ capacity: Int) {
        timestamps.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// Appends a run that starts after the current last point.
    public mutating func append(contentsOf other: PointSeries) {
        timestamps.append(contentsOf: other.timestamps)
        values.append(contentsOf: other.values)
    }

    /// Appends a point at or after the last one; an equal timestamp replaces the last value.
    mutating func appendReplacingEqual(timestampMs: Int64, value: Double) {
        if let last = timestamps.last, last == timestampMs {
            values[values.count - 1] = value
        } else {
            timestamps.append(timestampMs)
            values.append(value)
        }
    }

    /// Merges a newer sorted run into this one in place; on equal timestamps `newer` wins. A run that starts
    /// after this one ends (partitions read in time order) is appended without copying what is here.
    mutating func merge(newer: PointSeries) {
        if let last = timestamps.last, let first = newer.timestamps.first, last < first {
            append(contentsOf: newer)
        } else if !newer.isEmpty {
            self = Self.merged(older: self, newer: newer)
        }
    }

    /// Merges two sorted runs; on equal timestamps `newer` wins (last write wins).
    static func merged(older: PointSeries, newer: PointSeries) -> PointSeries {
        if older.isEmpty { return newer }
        if newer.isEmpty { return older }
        if older.timestamps.last! < newer.timestamps.first! {
            var out = older
            out.append(contentsOf: newer)
            return out
        }
        var out = PointSeries()
        out.reserve(older.count + newer.count)
        var i = 0
        var j = 0
        while i < older.count && j < newer.count {
            let a = older.timestamps[i]
            let b = newer.timestamps[j]
            if a < b {
                out.timestamps.append(a); out.values.append(older.values[i]); i += 1
            } else if b < a {
                out.timestamps.append(b); out.values.append(newer.values[j]); j += 1
            } else {
                out.timestamps.append(b); out.values.append(newer.values[j]); i += 1; j += 1
            }
        }
        while i < older.count { out.timestamps.append(older.timestamps[i]); out.values.append(older.values[i]); i += 1 }
        while j < newer.count { out.timestamps.append(newer.timestamps[j]); out.values.append(newer.values[j]); j += 1 }
        return out
    }

    /// Empties the series, keeping its storage.
    public mutating func removeAll() {
        timestamps.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Drops points outside `startMs <= t <= endMs`, in place.
    public mutating func clip(startMs: Int64, endMs: Int64) {
        guard let first = timestamps.first, let last = timestamps.last, first < startMs || last > endMs else { return }
        let lo = lowerBound(startMs)
        var hi = lowerBound(endMs)
        if hi < count && timestamps[hi] == endMs { hi += 1 }
        if lo >= hi {
            removeAll()
            return
        }
        if hi < count {
            timestamps.removeSubrange(hi...)
            values.removeSubrange(hi...)
        }
        if lo > 0 {
            timestamps.removeSubrange(..<lo)
            values.removeSubrange(..<lo)
        }
    }

    func lowerBound(_ t: Int64) -> Int {
        var lo = 0
        var hi = timestamps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timestamps[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
