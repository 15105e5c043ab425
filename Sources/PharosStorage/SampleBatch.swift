import PharosCore
/// Samples bound for the store, gathered per request or per TCP read so the WAL, the locks and the
/// head are paid for once per batch rather than once per point.
///
/// Owned by one connection at a time; reused across reads with `removeAll(keepingCapacity:)`.
public struct SampleBatch: Sendable {
    public internal(set) var seriesIDs: [UInt32] = []
    public internal(set) var timestamps: [Int64] = []
    public internal(set) var values: [Double] = []

    public init() {}

    public var count: Int { seriesIDs.count }
    public var isEmpty: Bool { seriesIDs.isEmpty }

    public mutating func append(series: SeriesRef, timestampMs: Int64, value: Double) {
        seriesIDs.append(series.id)
        timestamps.append(timestampMs)
        values.append(value)
    }

    public mutating func removeAll() {
        seriesIDs.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }
}

/// A handle on a series known to the store: its dense id. Cheap to copy and to cache per connection.
public struct SeriesRef: Hashable, Sendable {
    public let id: UInt32
    public init(id: UInt32) { self.id = id }

    /// OpenTSDB's TSUID for this series: stable for its life (ids are never reused), 12 upper-case hex digits.
    public var tsuid: String {
        let hex = String(id, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    /// The series a TSUID names, if it is one this store hands out.
    public init?(tsuid: String) {
        guard tsuid.count == 12, let id = UInt32(tsuid, radix: 16) else { return nil }
        self.id = id
    }
}
