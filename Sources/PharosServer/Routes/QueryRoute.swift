import Foundation
import NIOCore
import NIOHTTP1
import PharosQuery

/// OpenTSDB's read endpoints: `/api/query` (GET with `m=`/`tsuid=`, POST with a JSON body),
/// `/api/query/last`, `/api/aggregators` and `/api/config/filters`.
///
/// Parsing happens on the event loop; running the engine is handed to `offload` (a thread pool) so a long
/// query never blocks a loop. Every client mistake answers OpenTSDB's `{"error":{…}}` with its status.
struct QueryRoute: Sendable {
    let engine: QueryEngine
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    /// `GET|POST /api/query`.
    func handle(_ request: HTTPRequest, _ sink: ResponseSink) {
        let now = Self.nowMs()
        let parsed: QueryRequest
        do {
            parsed =
                request.method == .GET
                ? try QueryRequest(parameters: Self.parameters(request), nowMs: now)
                : try QueryRequest(json: Data(request.body.readableBytesView), nowMs: now)
        } catch {
            return sink(Self.error(error))
        }
        offload { [engine] in
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let results = try engine.run(parsed)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                let body = QueryResultRenderer(request: parsed).render(
                    results, globalAnnotations: engine.globalAnnotations(parsed), elapsedMs: elapsed)
                sink(.json(.ok, body))
            } catch {
                sink(Self.error(error))
            }
        }
    }

    /// `GET|POST /api/query/last`.
    func last(_ request: HTTPRequest, _ sink: ResponseSink) {
        let query: LastPointQuery
        do {
            query =
                request.method == .GET
                ? try LastPointQuery(parameters: Self.parameters(request)) : try LastPointQuery(json: Data(request.body.readableBytesView))
        } catch {
            return sink(Self.error(error))
        }
        offload { [engine] in
            do {
                sink(.json(.ok, try query.run(source: engine.source, nowMs: Self.nowMs())))
            } catch {
                sink(Self.error(error))
            }
        }
    }

    /// `GET|POST /api/aggregators`.
    func aggregators(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, FilterCatalog.aggregatorsJSON))
    }

    /// `GET|POST /api/config/filters`.
    func filters(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, FilterCatalog.filtersJSON))
    }

    static func parameters(_ request: HTTPRequest) -> [(String, String)] {
        guard let mark = request.uri.firstIndex(of: "?") else { return [] }
        return QueryRequest.parameters(fromQueryString: request.uri[request.uri.index(after: mark)...])
    }

    /// OpenTSDB's error body; anything that is not a `QueryError` is reported as a 400, as `QueryRpc` does.
    static func error(_ error: any Error) -> HTTPResponse {
        let failure = error as? QueryError ?? QueryError("\(error)")
        return .json(
            HTTPResponseStatus(statusCode: failure.code),
            OpenTSDBError.json(code: failure.code, message: failure.message, details: failure.details))
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
