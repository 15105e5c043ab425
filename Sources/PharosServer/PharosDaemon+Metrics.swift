import PharosCore
import PharosStorage

extension PharosDaemon {
    /// Names every counter the daemon exposes at `/metrics`.
    func registerMetrics() {
        let m = metrics
        m.register(stats.pointsAccepted, name: "pharos_points_ingested_total", help: "Points accepted into the WAL.")
        m.register(stats.pointsRejected, name: "pharos_points_rejected_total", help: "Points refused (bad input or storage error).")
        m.register(stats.storageErrors, name: "pharos_storage_errors_total", help: "Writes that failed in storage (e.g. disk full).")
        m.register(stats.limitHits, name: "pharos_limit_hits_total", help: "Requests or lines refused by a size limit.")
        m.register(stats.telnetConnections, name: "pharos_telnet_connections", help: "Open telnet-protocol connections.")
        m.register(stats.httpSeconds, name: "pharos_http_request_duration_seconds", help: "HTTP request latency.")
        let wal = store.walStats
        m.register(wal.bytesWritten, name: "pharos_wal_bytes_written_total", help: "Bytes appended to the write-ahead log.")
        m.register(wal.fsyncs, name: "pharos_wal_fsyncs_total", help: "fdatasync calls on the write-ahead log.")
        m.register(wal.fsyncSeconds, name: "pharos_wal_fsync_duration_seconds", help: "Time spent in fdatasync.")
        m.register(wal.tornRecords, name: "pharos_wal_torn_tails_total", help: "Torn WAL tails cut off at start-up.")
        m.register(wal.corruptRecords, name: "pharos_wal_corrupt_records_total", help: "WAL records skipped for a bad checksum.")
        let s = store.stats
        let store = self.store
        m.registerGauge(name: "pharos_head_series", help: "Series known to the store.") { Double(store.seriesCount) }
        m.registerGauge(name: "pharos_head_points", help: "Points held in the head, not yet in partitions.") { Double(store.pointsInHead) }
        m.registerGauge(name: "pharos_partitions", help: "Sealed partition files.") { Double(store.partitionCount) }
        m.registerGauge(name: "pharos_wal_segments", help: "WAL segment files.") { Double(store.walSegmentCount) }
        m.register(s.seriesCreated, name: "pharos_series_created_total", help: "Series created.")
        m.register(s.partitionsSealed, name: "pharos_partitions_sealed_total", help: "Head windows sealed into partitions.")
        m.register(s.compactions, name: "pharos_compactions_total", help: "Partition merges.")
        m.register(s.sealSeconds, name: "pharos_flush_duration_seconds", help: "Time to seal one head window into a partition.")
        m.register(s.compactionSeconds, name: "pharos_compaction_duration_seconds", help: "Time to merge partitions.")
        m.register(s.maintenanceErrors, name: "pharos_maintenance_errors_total", help: "Failed seal/compaction/retention runs.")
        registerSpanMetrics(m)
    }

    private func registerSpanMetrics(_ m: MetricsRegistry) {
        let spans = self.spans
        m.register(spans.spansAccepted, name: "pharos_spans_ingested_total", help: "Spans accepted into the span WAL.")
        m.register(spans.partitionsSealed, name: "pharos_span_partitions_sealed_total", help: "Span heads sealed into partitions.")
        m.register(spans.partitionsExpired, name: "pharos_span_partitions_expired_total", help: "Span partitions removed by retention.")
        m.register(spans.corruptReads, name: "pharos_span_corrupt_reads_total", help: "Span blocks or partitions that failed a checksum.")
        m.register(spans.sealSeconds, name: "pharos_span_seal_duration_seconds", help: "Time to seal one span head into a partition.")
        m.register(spans.walStats.bytesWritten, name: "pharos_span_wal_bytes_written_total", help: "Bytes appended to the span WAL.")
        m.registerGauge(name: "pharos_span_head_spans", help: "Spans in memory, not yet in partitions.") { Double(spans.spanCount) }
        m.registerGauge(name: "pharos_span_partitions", help: "Sealed span partition files.") { Double(spans.partitionCount) }
    }
}
