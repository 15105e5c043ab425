import PharosCore

extension MetricStore {
    /// Keys of the series with ids `first...`, in id order, for indexes that follow the store
    /// (`SeriesLookupIndex`). Ids are dense and never reused, so "ids from the last one seen" is exactly
    /// "series created since".
    func seriesKeys(from first: UInt32) -> [(UInt32, SeriesKey)] {
        let end = registry.nextID
        guard first < end else { return [] }
        var out: [(UInt32, SeriesKey)] = []
        out.reserveCapacity(Int(end - first))
        for id in first..<end {
            guard let key = registry.key(id) else { break }
            out.append((id, key))
        }
        return out
    }

    /// A name and tag index over this store's series, for OpenTSDB's suggest and lookup endpoints.
    public func makeLookupIndex() -> SeriesLookupIndex { SeriesLookupIndex(store: self) }
}
