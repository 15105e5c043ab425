import NIOCore
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// `/health`, `/metrics` and `POST /api/admin/flush`.
struct AdminRoutes: Sendable {
    let store: MetricStore
    let spans: SpanStore
    let registry: MetricsRegistry
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    func health(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, "{\"status\":\"ok\",\"series\":\(store.seriesCount),\"partitions\":\(store.partitionCount)}"))
    }

    func metrics(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.text(.ok, registry.render(), contentType: "text/plain; version=0.0.4; charset=utf-8"))
    }

    /// Seals the head into partition files and answers once they are durable.
    func flush(_ request: HTTPRequest, _ sink: ResponseSink) {
        offload {
            let started = ContinuousClock.now
            do throws(StorageError) {
                try store.flush()
                try spans.flush()
                let seconds = started.duration(to: .now)
                sink(
                    .json(
                        .ok,
                        "{\"flushed\":true,\"partitions\":\(store.partitionCount),\"spanPartitions\":\(spans.partitionCount),"
                            + "\"duration\":\"\(seconds)\"}"))
            } catch {
                let code = error.kind == .diskFull ? 503 : 500
                sink(
                    .json(
                        HTTPResponseStatus(statusCode: code),
                        bytes: OpenTSDBResponses.error(code: code, message: "Flush failed", details: error.message)))
            }
        }
    }
}
