import Foundation
import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

#if canImport(Glibc)
    import Glibc
#endif

/// OpenTSDB's informational endpoints: `/api/version`, `/api/serializers`, `/api/stats` and
/// `/api/dropcaches`, in the JSON shapes OpenTSDB 2.4 writes.
struct MetaRoutes: Sendable {
    let store: MetricStore
    let stats: ServerStats
    let index: SeriesLookupIndex
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void
    /// The `host` tag of every stat, as OpenTSDB's `StatsCollector.addHostTag` adds it.
    let hostName: String

    init(
        store: MetricStore, stats: ServerStats, index: SeriesLookupIndex,
        offload: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) {
        self.store = store
        self.stats = stats
        self.index = index
        self.offload = offload
        var buffer = [CChar](repeating: 0, count: 256)
        hostName =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
    }

    /// `RpcManager.Version`: a `HashMap<String,String>`, written in Java's iteration order for its keys.
    func version(_ request: HTTPRequest, _ sink: ResponseSink) {
        let fields: [(String, String)] = [
            ("short_revision", "pharos"), ("repo", "pharos"), ("host", "pharos"), ("version", "2.4.0"),
            ("full_revision", "pharos-\(PharosVersion.string)"), ("repo_status", "MODIFIED"), ("user", "pharos"), ("branch", "main"),
            ("timestamp", "0"),
        ]
        sink(
            .json(
                .ok,
                "{" + fields.map { OpenTSDBResponses.jsonString($0.0) + ":" + OpenTSDBResponses.jsonString($0.1) }.joined(separator: ",")
                    + "}"))
    }

    /// `HttpQuery.getSerializerStatus`: the one (JSON) serializer and the formatters and parsers Pharos has.
    func serializers(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, Self.serializersJSON))
    }

    /// `DropCachesRpc`: Pharos has no UID caches to drop (its name index follows the store), so this only
    /// answers as OpenTSDB does.
    func dropCaches(_ request: HTTPRequest, _ sink: ResponseSink) {
        sink(.json(.ok, "{\"message\":\"Caches dropped\",\"status\":\"200\"}"))
    }

    /// `StatsRpc` (API version 1): a list of `{"metric":"tsd.…","timestamp":s,"value":"n","tags":{"host":…}}`
    /// built from Pharos' own counters; the name counts may have to index new series, hence the pool.
    func stats(_ request: HTTPRequest, _ sink: ResponseSink) {
        offload {
            let timestamp = Int64(Date().timeIntervalSince1970)
            let points = collect().map { point in
                var tags = [("host", hostName)]
                if let extra = point.tag { tags.append(extra) }
                let rendered = tags.sorted { $0.0 < $1.0 }.map {
                    OpenTSDBResponses.jsonString($0.0) + ":" + OpenTSDBResponses.jsonString($0.1)
                }
                return "{\"metric\":" + OpenTSDBResponses.jsonString("tsd." + point.name)
                    + ",\"timestamp\":\(timestamp),\"value\":\"\(point.value)\""
                    + ",\"tags\":{" + rendered.joined(separator: ",") + "}}"
            }
            sink(.json(.ok, "[" + points.joined(separator: ",") + "]"))
        }
    }

    private func collect() -> [(name: String, value: Int64, tag: (String, String)?)] {
        let names = index.nameCounts
        let wal = store.walStats
        let s = store.stats
        return [
            ("datapoints.added", s.pointsAppended.value, ("type", "all")),
            ("rpc.errors", stats.pointsRejected.value, ("type", "rejected_points")),
            ("connectionmgr.connections", stats.telnetConnections.value, ("type", "telnet")),
            ("uid.ids-used", Int64(names.metrics), ("kind", "metrics")),
            ("uid.ids-used", Int64(names.tagKeys), ("kind", "tagk")),
            ("uid.ids-used", Int64(names.tagValues), ("kind", "tagv")),
            ("storage.series", Int64(store.seriesCount), nil),
            ("storage.head.points", store.pointsInHead, nil),
            ("storage.partitions", Int64(store.partitionCount), nil),
            ("storage.partitions.sealed", s.partitionsSealed.value, nil),
            ("storage.compactions", s.compactions.value, nil),
            ("storage.errors", stats.storageErrors.value, nil),
            ("storage.maintenance.errors", s.maintenanceErrors.value, nil),
            ("wal.segments", Int64(store.walSegmentCount), nil),
            ("wal.bytes_written", wal.bytesWritten.value, nil),
            ("wal.fsyncs", wal.fsyncs.value, nil),
            ("http.limit_hits", stats.limitHits.value, nil),
        ]
    }

    static let serializersJSON: String = {
        let formatters = [
            "PutV1", "SuggestV1", "SerializersV1", "VersionV1", "DropCachesV1", "QueryV1", "AnnotationV1", "AnnotationsV1",
            "AnnotationBulkDeleteV1", "StatsV1", "SearchResultsV1", "ErrorV1", "NotFoundV1",
        ]
        let parsers = ["PutV1", "SuggestV1", "QueryV1", "AnnotationV1", "AnnotationsV1", "AnnotationBulkDeleteV1", "SearchQueryV1"]
        func list(_ names: [String]) -> String { "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return "[{\"formatters\":\(list(formatters)),\"serializer\":\"json\",\"parsers\":\(list(parsers)),"
            + "\"class\":\"net.opentsdb.tsd.HttpJsonSerializer\",\"response_content_type\":\"application/json; charset=UTF-8\","
            + "\"request_content_type\":\"application/json\"}]"
    }()
}
