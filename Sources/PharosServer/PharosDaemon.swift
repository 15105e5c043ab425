public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
public import PharosCore
import PharosIngest
import PharosQuery
public import PharosStorage
import Synchronization

/// The running daemon: the store, the HTTP port, the OpenTSDB port (telnet and HTTP told apart by the
/// first byte) and the routes. `start` binds and returns; `shutdown` stops accepting, closes channels and
/// closes the store so that everything acknowledged is in the WAL.
public final class PharosDaemon: Sendable {
    public let options: ServerOptions
    public let store: MetricStore
    /// Zipkin spans (work in progress: WAL and head; partitions and search come with the tracing issue).
    public let spans: SpanStore
    public let metrics = MetricsRegistry()
    public let stats = ServerStats()
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let channels = Mutex<[any Channel]>([])

    public init(options: ServerOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        store = try MetricStore(options: options.storage, logger: logger)
        spans = try SpanStore(options: options.storage, spanOptions: options.spans, logger: logger)
        group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads > 0 ? options.threads : System.coreCount)
        pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        registerMetrics()
    }

    /// Binds both ports; returns the ports actually bound (they differ from the options when those are 0).
    @discardableResult
    public func start() throws -> (http: Int, openTSDB: Int) {
        let router = makeRouter()
        let limits = options.httpLimits
        let stats = self.stats
        let store = self.store
        let putLimits = options.putLimits
        let http = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPChannelHandler(router: router, limits: limits, stats: stats))
                }
            }
            .bind(host: options.host, port: options.httpPort).wait()
        let openTSDB = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536, maximum: 262_144))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sniffer = ProtocolSniffer(
                        installHTTP: { pipeline, sniffer in
                            try pipeline.configureHTTPServerPipeline(position: .after(sniffer), withErrorHandling: true)
                            try pipeline.addHandler(HTTPChannelHandler(router: router, limits: limits, stats: stats))
                        },
                        installTelnet: { pipeline, sniffer in
                            try pipeline.addHandler(TelnetHandler(store: store, limits: putLimits, stats: stats), position: .after(sniffer))
                        })
                    try channel.pipeline.syncOperations.addHandler(sniffer)
                }
            }
            .bind(host: options.host, port: options.openTSDBPort).wait()
        channels.withLock { $0 = [http, openTSDB] }
        let ports = (http.localAddress?.port ?? options.httpPort, openTSDB.localAddress?.port ?? options.openTSDBPort)
        logger.info("pharos is listening", metadata: ["http": "\(options.host):\(ports.0)", "opentsdb": "\(options.host):\(ports.1)"])
        return ports
    }

    /// Stops accepting, closes the listeners, drains the event loops and closes the store.
    public func shutdown() {
        for channel in channels.withLock({ $0 }) { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
        spans.close()
        store.close()
        logger.info("pharos stopped")
    }

    private func makeRouter() -> Router {
        let offload: @Sendable (@escaping @Sendable () -> Void) -> Void = { [pool] work in
            pool.submit { state in if state == .active { work() } }
        }
        var loops: [any EventLoop] = []
        for loop in group.makeIterator() { loops.append(loop) }
        let put = PutRoute(
            store: store, limits: options.putLimits, stats: stats, local: EventLoopLocal(loops: loops) { PutRoute.LoopState() })
        let query = QueryRoute(engine: QueryEngine(source: store, annotations: store), offload: offload)
        let admin = AdminRoutes(store: store, spans: spans, registry: metrics, offload: offload)
        let lookup = LookupRoutes(index: store.makeLookupIndex(), offload: offload)
        let annotation = AnnotationRoutes(store: store, offload: offload)
        let zipkin = ZipkinRoutes(spans: spans)
        let zipkinQuery = ZipkinQueryRoutes(
            spans: spans, strictTraceId: options.strictTraceId, searchEnabled: options.searchEnabled, keys: options.spans.autocompleteKeys,
            queryLookbackMs: options.queryLookbackMs, offload: offload)
        let meta = MetaRoutes(store: store, stats: stats, index: lookup.index, offload: offload)
        offload { _ = lookup.index.nameCounts }  // index every series now, not on the first suggest after a restart
        return Router(exact: [
            "/api/put": ["POST": put.handle],
            "/api/query": ["POST": query.handle, "GET": query.handle],
            "/api/query/last": ["POST": query.last, "GET": query.last],
            "/api/aggregators": ["POST": query.aggregators, "GET": query.aggregators],
            "/api/config/filters": ["POST": query.filters, "GET": query.filters],
            "/api/version": ["GET": meta.version, "POST": meta.version],
            "/api/admin/flush": ["POST": admin.flush],
            "/health": ["GET": admin.health],
            "/metrics": ["GET": admin.metrics],
            "/api/suggest": ["GET": lookup.suggest, "POST": lookup.suggest],
            "/api/search/lookup": ["GET": lookup.lookup, "POST": lookup.lookup],
            "/api/annotation": ["GET": annotation.single, "POST": annotation.single, "PUT": annotation.single, "DELETE": annotation.single],
            "/api/annotations": ["GET": annotation.single, "POST": annotation.single, "PUT": annotation.single, "DELETE": annotation.single],
            "/api/annotation/bulk": ["POST": annotation.bulk, "PUT": annotation.bulk, "DELETE": annotation.bulk],
            "/api/annotations/bulk": ["POST": annotation.bulk, "PUT": annotation.bulk, "DELETE": annotation.bulk],
            "/api/serializers": ["GET": meta.serializers, "POST": meta.serializers],
            "/api/stats": ["GET": meta.stats, "POST": meta.stats],
            "/api/dropcaches": ["GET": meta.dropCaches, "DELETE": meta.dropCaches],
            "/api/v2/spans": ["POST": zipkin.postV2, "GET": zipkinQuery.spanNames],
            "/api/v1/spans": ["POST": zipkin.postV1],
            "/api/v2/services": ["GET": zipkinQuery.services],
            "/api/v2/remoteServices": ["GET": zipkinQuery.remoteServices],
            "/api/v2/traceMany": ["GET": zipkinQuery.traceMany],
            "/api/v2/traces": ["GET": zipkinQuery.traces],
            "/api/v2/dependencies": ["GET": zipkinQuery.dependencies],
            "/api/v2/autocompleteKeys": ["GET": zipkinQuery.autocompleteKeys],
            "/api/v2/autocompleteValues": ["GET": zipkinQuery.autocompleteValues],
        ], prefixes: [("/api/v2/trace/", ["GET": zipkinQuery.trace])])
    }
}
