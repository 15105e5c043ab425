import Dispatch
public import PharosCore
import PharosStorage
import Synchronization

/// Runs OpenTSDB queries over a `MetricSource` with OpenTSDB 2.4's semantics: select and group series,
/// per series downsample then rate, aggregate each group across its series with interpolation, keep
/// the points inside `[start, end]`.
///
/// A value type holding only `Sendable` references: safe to share and to call from any thread. Series
/// are read and transformed on up to `parallelism` threads, each with its own decode buffer.
public struct QueryEngine: Sendable {
    public let source: any MetricSource
    public let annotations: any AnnotationProvider
    /// Threads used to read and transform series (the machine has 2 cores).
    public var parallelism: Int

    public init(source: any MetricSource, annotations: any AnnotationProvider = NoAnnotations(), parallelism: Int = 2) {
        self.source = source
        self.annotations = annotations
        self.parallelism = max(1, parallelism)
    }

    /// Every result series of the request, sub-query by sub-query.
    public func run(_ request: QueryRequest) throws(QueryError) -> [QueryResult] {
        var results: [QueryResult] = []
        for query in request.queries {
            results += try run(query, request: request)
        }
        return results
    }

    /// The result series of one sub-query.
    public func run(_ query: SubQuery, request: QueryRequest) throws(QueryError) -> [QueryResult] {
        let selection = try SeriesSelection(query, source: source)
        let plan = try SeriesPlan(query, startMs: request.startMs, endMs: request.endMs, timezone: request.timezone)
        let refs = selection.groups.flatMap { $0.members.map(\.0) }
        let processed = try process(refs, plan: plan)
        let aggregator = GroupAggregator(aggregator: query.aggregator, rate: query.rate)
        var results: [QueryResult] = []
        var offset = 0
        for group in selection.groups {
            let members = Array(processed[offset..<(offset + group.members.count)])
            offset += group.members.count
            let (times, values, integral) = aggregator.run(members, startMs: request.startMs, endMs: request.endMs)
            guard !times.isEmpty else { continue }
            let tsuids = group.members.map(\.0.tsuid).sorted()
            var notes: [Annotation] = []
            if !request.noAnnotations {
                notes = annotations.annotations(tsuids: tsuids, startMs: request.startMs, endMs: request.endMs)
            }
            results.append(
                QueryResult(
                    metric: group.members.first?.1.metric ?? query.metric, tags: group.tags, aggregateTags: group.aggregateTags,
                    tsuids: tsuids, timestamps: times, values: values, integral: integral, queryIndex: query.index,
                    nanAsNull: query.downsample?.fill == .null, annotations: notes, rawPoints: members.reduce(0) { $0 + $1.rawCount }))
        }
        return results
    }

    /// Reads and transforms every series, in input order, spreading them over `parallelism` threads.
    private func process(_ refs: [SeriesRef], plan: SeriesPlan) throws(QueryError) -> [ProcessedSeries] {
        let workers = refs.count >= 8 ? min(parallelism, refs.count) : 1
        let outcome = Mutex<(series: [ProcessedSeries], error: String?)>(
            (Array(repeating: ProcessedSeries(), count: refs.count), nil))
        let source = self.source
        let work: @Sendable (Int) -> Void = { worker in
            var buffer = PointSeries()
            var local: [(Int, ProcessedSeries)] = []
            var index = worker
            do {
                while index < refs.count {
                    var output = ProcessedSeries()
                    try plan.process(refs[index], source: source, buffer: &buffer, into: &output)
                    local.append((index, output))
                    index += workers
                }
            } catch {
                outcome.withLock { $0.error = "\(error)" }
                return
            }
            outcome.withLock { state in
                for (i, series) in local { state.series[i] = series }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return try outcome.withLock { (state) throws(QueryError) -> [ProcessedSeries] in
            if let error = state.error { throw QueryError("Unable to read series: \(error)", code: 500) }
            return state.series
        }
    }

    /// Global annotations for the request's range, when it asked for them.
    public func globalAnnotations(_ request: QueryRequest) -> [Annotation] {
        request.globalAnnotations && !request.noAnnotations
            ? annotations.globalAnnotations(startMs: request.startMs, endMs: request.endMs) : []
    }
}
