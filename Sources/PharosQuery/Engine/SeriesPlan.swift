import PharosStorage

/// How each series of a sub-query is read and transformed before aggregation: the scan window (OpenTSDB
/// reads whole hour rows around the query range, so neighbours outside it feed interpolation and rates),
/// the downsampler, the rate, and whether rollups may replace raw points.
struct SeriesPlan: Sendable {
    let scanStartMs: Int64
    /// Inclusive.
    let scanEndMs: Int64
    let downsampler: Downsampler?
    let rate: RateOptions?
    /// The rollup interval to ask the source for, when the downsample can be computed from rollups.
    let rollupIntervalMs: Int64?
    let queryStartMs: Int64

    init(_ query: SubQuery, startMs: Int64, endMs: Int64, timezone: String?) throws(QueryError) {
        queryStartMs = startMs
        rate = query.rate ? query.rateOptions : nil
        let hour: Int64 = 3_600_000
        guard let spec = query.downsample else {
            scanStartMs = startMs - startMs % hour
            scanEndMs = endMs - endMs % hour + hour - 1
            downsampler = nil
            rollupIntervalMs = nil
            return
        }
        if spec.isAll {
            scanStartMs = startMs
            scanEndMs = endMs - 1
            downsampler = Downsampler(spec: spec, boundaries: [], fillFirstMs: startMs, fillLastMs: startMs - 1)
            rollupIntervalMs = nil
            return
        }
        var start = startMs - startMs % spec.intervalMs
        var end = endMs - endMs % spec.intervalMs + spec.intervalMs
        start -= start % hour
        end = end - end % hour + hour
        var boundaries: [Int64] = []
        if let unit = spec.calendarUnit {
            boundaries = try CalendarBuckets.starts(unit: unit, count: spec.calendarCount, fromMs: start, toMs: end, timezone: timezone)
            start = min(start, boundaries.first ?? start)
        }
        scanStartMs = start
        scanEndMs = end - 1
        let fillFirst = spec.calendarUnit == nil ? start - start % spec.intervalMs : (boundaries.first ?? start)
        let fillLast = spec.calendarUnit == nil ? scanEndMs - scanEndMs % spec.intervalMs : (boundaries.last ?? start)
        var downsampler = Downsampler(spec: spec, boundaries: boundaries, fillFirstMs: fillFirst, fillLastMs: fillLast)
        let rollupable: Set<String> = ["sum", "avg", "min", "max", "count", "first", "last"]
        if !query.rate, spec.calendarUnit == nil, rollupable.contains(spec.aggregator.name) {
            rollupIntervalMs = RollupBuckets.intervalsMs.filter { spec.intervalMs % $0 == 0 }.max()
        } else {
            rollupIntervalMs = nil
        }
        downsampler.partialMs = rollupIntervalMs ?? 0
        self.downsampler = downsampler
    }

    /// Reads and transforms one series into `output`, using `buffer` for raw points.
    func process(_ ref: SeriesRef, source: any MetricSource, buffer: inout PointSeries, into output: inout ProcessedSeries) throws {
        if let interval = rollupIntervalMs, let downsampler,
            let rollups = try source.rollups(ref, intervalMs: interval, startMs: scanStartMs, endMs: scanEndMs)
        {
            RollupDownsampler.apply(rollups, downsampler: downsampler, into: &output)
            return
        }
        try source.read(ref, startMs: scanStartMs, endMs: scanEndMs, into: &buffer)
        output.rawCount = buffer.count
        if let downsampler {
            downsampler.apply(buffer, allStartMs: queryStartMs, into: &output)
        } else {
            output.timestamps = buffer.timestamps
            output.values = buffer.values
            output.integral = rate == nil && ProcessedSeries.allIntegral(buffer.values)
        }
        if let rate { RateConverter.apply(rate, to: &output) }
    }
}
