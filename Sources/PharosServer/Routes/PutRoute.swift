import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// `POST /api/put`: OpenTSDB's JSON write API with its `summary`, `details` and `sync` flags and its
/// exact 204/200/400 rules. Good points of a batch are stored even when others fail.
struct PutRoute: Sendable {
    struct LoopState {
        var cache = SeriesRefCache()
        var batch = SampleBatch()
        var scratch = AppendScratch()
        var raws: [RawPut] = []
    }

    let store: MetricStore
    let limits: PutLimits
    let stats: ServerStats
    let local: EventLoopLocal<LoopState>

    func handle(_ request: HTTPRequest, _ sink: ResponseSink) {
        let query = request.query
        let wantsDetails = query["details"] != nil
        let wantsSummary = query["summary"] != nil
        let outcome: Outcome
        do throws(PutBodyError) {
            outcome = try local.withValue(on: request.eventLoop) { state in
                request.body.withUnsafeReadableBytes { raw in Result { () throws(PutBodyError) in try queueAndStore(raw, state: &state) } }
            }.get()
        } catch {
            stats.pointsRejected.add(1)
            return sink(.json(.badRequest, bytes: OpenTSDBResponses.error(code: 400, message: error.message, details: error.detail)))
        }
        let (accepted, failed, stored) = (outcome.accepted, outcome.failed, outcome.stored)
        stats.pointsRejected.add(Int64(failed.count))
        let sequence: UInt64
        switch stored {
        case .failure(let error):
            stats.storageErrors.add(1)
            stats.pointsRejected.add(Int64(accepted))
            return sink(Self.storageFailure(error))
        case .success(let value):
            sequence = value
        }
        stats.pointsAccepted.add(Int64(accepted))
        let response = Self.response(success: accepted, failed: failed, details: wantsDetails, summary: wantsSummary)
        if query["sync"] != nil || store.options.fsync == .always {
            store.whenDurable(sequence, force: query["sync"] != nil) { result in
                switch result {
                case .success: sink(response)
                case .failure(let error): sink(Self.storageFailure(error))
                }
            }
        } else {
            sink(response)
        }
    }

    struct Outcome {
        var accepted = 0
        var failed: [OpenTSDBResponses.Detail] = []
        var stored: Result<UInt64, StorageError> = .success(0)
    }

    /// Parses the body, queues its good points and writes them to the store in one batch.
    private func queueAndStore(_ raw: UnsafeRawBufferPointer, state: inout LoopState) throws(PutBodyError) -> Outcome {
        var outcome = Outcome()
        state.batch.removeAll()
        if !addCached(raw, state: &state) {
            state.batch.removeAll()
            for item in try JSONPutParser.parse(raw, limits: limits) {
                switch item {
                case .failed(let error, let datapoint):
                    outcome.failed.append(.init(datapoint: datapoint, error: error.message))
                case .point(let put):
                    if let error = add(put, raw: raw, state: &state) {
                        outcome.failed.append(.init(datapoint: put.datapointJSON, error: error))
                    }
                }
            }
        }
        outcome.accepted = state.batch.count
        if outcome.accepted > 0 {
            outcome.stored = Result { () throws(StorageError) in try store.append(state.batch, scratch: &state.scratch) }
        }
        return outcome
    }

    /// The hot path: a body in the common shape whose series are all in this loop's cache is queued
    /// without building a single string. Returns false (queueing nothing) otherwise.
    private func addCached(_ raw: UnsafeRawBufferPointer, state: inout LoopState) -> Bool {
        state.raws.removeAll(keepingCapacity: true)
        guard JSONPutFastParser.parse(raw, maxTags: limits.maxTags, into: &state.raws) else { return false }
        for put in state.raws {
            let metric = UnsafeRawBufferPointer(rebasing: raw[put.metric])
            let tags = UnsafeRawBufferPointer(rebasing: raw[put.tags])
            guard let ref = state.cache.lookup(metric: metric, tags: tags, hash: SeriesRefCache.hash(metric: metric, tags: tags)) else {
                return false
            }
            state.batch.append(series: ref, timestampMs: put.timestampMs, value: put.value)
        }
        return true
    }

    /// Queues one point; returns the error message when its series is invalid.
    private func add(_ put: JSONPut, raw: UnsafeRawBufferPointer, state: inout LoopState) -> String? {
        let metric = UnsafeRawBufferPointer(rebasing: raw[put.rawMetric])
        let tags = UnsafeRawBufferPointer(rebasing: raw[put.rawTags])
        let hash = SeriesRefCache.hash(metric: metric, tags: tags)
        if let ref = state.cache.lookup(metric: metric, tags: tags, hash: hash) {
            state.batch.append(series: ref, timestampMs: put.timestampMs, value: put.value)
            return nil
        }
        switch JSONPutParser.seriesKey(put, limits: limits) {
        case .failure(let error):
            return error.message
        case .success(let key):
            do {
                let ref = try store.resolve(key)
                state.cache.insert(metric: metric, tags: tags, hash: hash, ref: ref)
                state.batch.append(series: ref, timestampMs: put.timestampMs, value: put.value)
                return nil
            } catch {
                return "Storage exception: \(error)"
            }
        }
    }

    static func response(success: Int, failed: [OpenTSDBResponses.Detail], details: Bool, summary: Bool) -> HTTPResponse {
        let status: HTTPResponseStatus = failed.isEmpty ? .ok : .badRequest
        if details {
            return .json(status, bytes: OpenTSDBResponses.details(success: success, failed: failed.count, errors: failed))
        }
        if summary {
            return .json(status, bytes: OpenTSDBResponses.summary(success: success, failed: failed.count))
        }
        if failed.isEmpty { return .noContent }
        return .json(
            .badRequest,
            bytes: OpenTSDBResponses.error(
                code: 400, message: OpenTSDBResponses.pointsHadErrors, details: OpenTSDBResponses.pointsHadErrorsDetails))
    }

    /// A full disk is 503 (retry later, nothing of the batch was stored); any other storage error is 500.
    static func storageFailure(_ error: StorageError) -> HTTPResponse {
        let code = error.kind == .diskFull ? 503 : 500
        return .json(
            HTTPResponseStatus(statusCode: code),
            bytes: OpenTSDBResponses.error(code: code, message: "Storage exception: nothing of this request was stored", details: error.message))
    }
}
