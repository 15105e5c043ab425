import Foundation
import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// `/api/annotation` (GET fetch, POST merge, PUT replace, DELETE) and `/api/annotation/bulk` (POST/PUT a
/// list, DELETE a time range), with OpenTSDB's `AnnotationRpc` semantics and messages. Annotations live in
/// the SQLite catalog, so every handler runs on the thread pool.
struct AnnotationRoutes: Sendable {
    let store: MetricStore
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    func single(_ request: HTTPRequest, _ sink: ResponseSink) {
        let input: AnnotationInput
        do throws(MetaAPIError) {
            // As OpenTSDB: a body wins over the query string, whatever the method.
            input =
                request.body.readableBytes > 0
                ? try AnnotationInput(json: try MetaJSON.parse(request.body)) : try AnnotationInput(query: request.query, nowMs: Self.nowMs)
        } catch { return sink(error.response) }
        guard input.startTime >= 1 else {
            let missing = MetaAPIError("The start timestamp has not been set")
            return sink(
                request.method == .DELETE
                    ? MetaAPIError("Unable to delete Annotation information", details: missing.message).response : missing.response)
        }
        offload { sink(respond(to: request.method, input)) }
    }

    func bulk(_ request: HTTPRequest, _ sink: ResponseSink) {
        if request.method == .DELETE { return bulkDelete(request, sink) }
        let inputs: [AnnotationInput]
        do throws(MetaAPIError) {
            guard let list = try MetaJSON.parse(request.body) as? [Any] else {
                throw MetaAPIError("Unable to parse the given JSON", details: "the body must be a JSON list of annotations")
            }
            inputs = try list.map { (item) throws(MetaAPIError) in try AnnotationInput(json: item) }
            if let bad = inputs.first(where: { $0.startTime < 1 }) {
                throw MetaAPIError("The start timestamp has not been set", details: "Annotation error: \(bad.openTSDBDescription)")
            }
        } catch { return sink(error.response) }
        let changed = inputs.filter(\.hasChanges)
        let overwrite = request.method == .PUT
        offload {
            do throws(StorageError) {
                let stored = try store.mergeAnnotations(changed.map { ($0.tsuid, $0.startTime) }) { index, existing in
                    changed[index].merged(into: existing, overwrite: overwrite)
                }
                sink(.json(.ok, AnnotationJSON.render(stored.compactMap { $0 })))
            } catch {
                sink(Self.storageFailure(error))
            }
        }
    }

    private func bulkDelete(_ request: HTTPRequest, _ sink: ResponseSink) {
        let delete: AnnotationBulkDelete
        let tsuids: [String]
        do throws(MetaAPIError) {
            delete = try AnnotationBulkDelete.parse(request, nowMs: Self.nowMs)
            var normalised: [String] = []
            for tsuid in delete.tsuids ?? [] {
                if let hex = try AnnotationInput.normalise(tsuid) { normalised.append(hex) }
            }
            tsuids = normalised
        } catch {
            return sink(error.response)
        }
        offload {
            do throws(StorageError) {
                var done = delete
                done.totalDeleted = try store.deleteAnnotations(
                    tsuids: tsuids, global: delete.global, startMs: delete.startMs, endMs: delete.endMs)
                sink(.json(.ok, done.json))
            } catch {
                sink(Self.storageFailure(error))
            }
        }
    }

    private func respond(to method: HTTPMethod, _ input: AnnotationInput) -> HTTPResponse {
        do throws(StorageError) {
            switch method {
            case .GET:
                guard let note = try store.annotation(tsuid: input.tsuid, startTime: input.startTime) else {
                    return MetaAPIError("Unable to locate annotation in storage", status: 404).response
                }
                return .json(.ok, AnnotationJSON.render(note))
            case .DELETE:
                try store.deleteAnnotation(tsuid: input.tsuid, startTime: input.startTime)
                return .noContent
            default:
                guard input.hasChanges else { return HTTPResponse(status: .notModified) }
                let overwrite = method == .PUT
                let stored = try store.mergeAnnotations([(input.tsuid, input.startTime)]) { _, existing in
                    input.merged(into: existing, overwrite: overwrite)
                }
                guard let note = stored.first ?? nil else { return HTTPResponse(status: .notModified) }
                return .json(.ok, AnnotationJSON.render(note))
            }
        } catch {
            return Self.storageFailure(error)
        }
    }

    /// A catalog failure, never a 500: 503 when the disk is full (retry later), else OpenTSDB's 424 for a
    /// storage error.
    private static func storageFailure(_ error: StorageError) -> HTTPResponse {
        let status = error.kind == .diskFull ? 503 : 424
        return MetaAPIError("Annotation storage failed", details: error.message, status: status).response
    }

    private static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
