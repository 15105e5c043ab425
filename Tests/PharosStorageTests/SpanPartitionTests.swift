import Foundation
import PharosCodec
import PharosCore
import Testing

@testable import PharosStorage

/// Span partitions: what is sealed reads back exactly, late spans still join their trace, retention,
/// corruption and crashes around sealing.
@Suite struct SpanPartitionTests {
    /// Varied spans: 64- and 128-bit ids, parents inside and outside the trace (and after their children),
    /// missing fields, repeated and one-off values, non-ASCII text, ipv6 endpoints.
    static func randomSpans(_ count: Int, traces: Int, seed: UInt64) -> [Span] {
        var rng = SplitMix64(seed: seed)
        let services = ["frontend", "api", "db", "cache", "könig"]
        var spans: [Span] = []
        for index in 0..<count {
            let trace = rng.next() % UInt64(traces) + 1
            let id = rng.next() | 1
            let high: UInt64 = trace % 3 == 0 ? 0xABCD_0000_0000_0000 | trace : 0
            let parent: UInt64 =
                switch rng.next() % 4 {
                case 0: 0
                case 1: spans.last(where: { $0.traceIdLow == trace })?.id ?? 0
                default: rng.next() | 1
                }
            var tags = [SpanTag(key: "http.method", value: ["GET", "POST"][Int(rng.next() % 2)])]
            if rng.next() % 3 == 0 { tags.append(SpanTag(key: "http.url", value: "/item/\(rng.next())")) }
            if rng.next() % 5 == 0 { tags.insert(SpanTag(key: "error", value: ""), at: 0) }
            spans.append(
                Span(
                    traceIdHigh: high, traceIdLow: trace, traceIdIs128Bit: high != 0, parentId: parent, id: id,
                    kind: [nil, .client, .server, .producer, .consumer][Int(rng.next() % 5)],
                    name: rng.next() % 7 == 0 ? nil : "op-\(rng.next() % 20)",
                    timestampUs: rng.next() % 9 == 0 ? 0 : 1_700_000_000_000_000 + Int64(index) * 1000 - Int64(rng.next() % 5000),
                    durationUs: Int64(rng.next() % 2_000_000),
                    localEndpoint: rng.next() % 8 == 0
                        ? nil
                        : Endpoint(serviceName: services[Int(rng.next() % 5)], ipv4: 0x0A00_0000 | UInt32(rng.next() % 4), port: 8080),
                    remoteEndpoint: rng.next() % 2 == 0
                        ? nil
                        : Endpoint(
                            serviceName: services[Int(rng.next() % 5)], ipv6: IPv6Address(high: 0x2001_0db8 << 32, low: rng.next() % 3)),
                    annotations: rng.next() % 4 == 0
                        ? [SpanAnnotation(timestampUs: 1_700_000_000_000_000 + Int64(index), value: "ws")] : [],
                    tags: tags, debug: rng.next() % 11 == 0, shared: rng.next() % 6 == 0))
        }
        return spans
    }

    /// Every span of every trace fragment in the file.
    static func readAll(_ partition: SpanPartition) throws -> [Span] {
        var all: [Span] = []
        for block in 0..<partition.blockCount { all += try partition.spans(inBlock: block) { _, _ in true } }
        return all
    }

    @Test func sealedSpansReadBackExactly() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let spans = Self.randomSpans(20_000, traces: 1500, seed: 7)
        let path = dir.path + "/test.spans"
        var head = SpanHead()
        for span in spans { head.insert(span, autocompleteKeys: ["http.method"]) }
        let summary = try SpanPartitionWriter().write(head, to: path)
        let partition = try SpanPartition(id: 1, hourMs: 0, path: path)
        #expect(partition.blockCount > 1)
        let read = try Self.readAll(partition)
        #expect(Set(read) == Set(spans))
        #expect(read.count == spans.count)
        #expect(summary.spanCount == spans.count)
        #expect(summary.autocomplete == ["http.method": ["GET", "POST"]])
        // Trace by id from its block: strict matching separates ids that share the lower 64 bits.
        let trace = summary.traces.first { $0.high != 0 }!
        let found = try partition.spans(inBlock: trace.block, high: trace.high, low: trace.low, strict: true)
        #expect(Set(found) == Set(spans.filter { $0.traceIdLow == trace.low && $0.traceIdHigh == trace.high }))
        let bytesPerSpan = Double(summary.byteSize) / Double(spans.count)
        #expect(bytesPerSpan < 60, "random spans are the worst case; the generator's mix is measured by bench-traces")
    }

    @Test func aCorruptBlockIsReportedAndTheRestStillServed() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let spans = Self.randomSpans(20_000, traces: 1500, seed: 8)
        let path = dir.path + "/test.spans"
        var head = SpanHead()
        for span in spans { head.insert(span, autocompleteKeys: []) }
        let summary = try SpanPartitionWriter().write(head, to: path)
        var bytes = try FileIO.readAll(path)
        bytes[20] ^= 0x40  // inside the first block
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let partition = try SpanPartition(id: 1, hourMs: 0, path: path)
        #expect(throws: StorageError.self) { try partition.block(0) }
        let later = summary.traces.last!
        #expect(later.block > 0)
        #expect(try !partition.spans(inBlock: later.block, high: later.high, low: later.low, strict: true).isEmpty)
        bytes[bytes.count - 20] ^= 0x01  // the footer
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.self) { try SpanPartition(id: 1, hourMs: 0, path: path) }
    }

    static func store(_ dir: String, headMax: Int = 100_000, retentionMs: Int64? = nil) throws -> SpanStore {
        var options = testOptions(dir)
        options.fsync = .never
        var spanOptions = SpanStoreOptions()
        spanOptions.headMaxSpans = headMax
        spanOptions.retentionMs = retentionMs
        spanOptions.autocompleteKeys = ["http.method"]
        return try SpanStore(options: options, spanOptions: spanOptions, logger: LogCapture().logger)
    }

    @Test func lateSpansJoinTheirSealedTraceAndSearchSpansHeadAndPartitions() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir.path)
        let first = SpanStoreTests.span(7, 1, service: "frontend", name: "get /")
        let late = SpanStoreTests.span(7, 2, service: "backend", name: "select", remote: "db")
        try store.append([first, SpanStoreTests.span(9, 1, service: "frontend", name: "post /")])
        try store.flush()
        #expect(store.partitionCount == 1)
        #expect(store.spanCount == 0)
        try store.append([late])
        #expect(store.trace(high: 0, low: 7, strict: true) == [first, late])
        var query = TraceQuery(endTsUs: 1_700_000_000_100_000, lookbackUs: 3_600_000_000, limit: 10)
        query.serviceName = "backend"
        #expect(store.traces(matching: query, strict: true) == [[first, late]])
        query.serviceName = "frontend"
        query.spanName = "post /"
        #expect(store.traces(matching: query, strict: true).map { $0.map(\.traceIdLow) } == [[9]])
        try store.flush()
        #expect(store.partitionCount == 2)
        #expect(store.trace(high: 0, low: 7, strict: true) == [first, late])
        #expect(store.serviceNames == ["backend", "frontend"])
        #expect(store.spanNames(service: "frontend") == ["get /", "post /"])
        #expect(store.remoteServiceNames(service: "backend") == ["db"])
        #expect(store.autocompleteValues(key: "http.method") == ["GET"])
        store.close()
        let reopened = try Self.store(dir.path)
        defer { reopened.close() }
        #expect(reopened.spanCount == 0, "sealed spans are not replayed from the WAL again")
        #expect(reopened.trace(high: 0, low: 7, strict: true) == [first, late])
        let segments = try FileIO.listDirectory(dir.path + "/spans/wal").sorted()
        #expect(segments == ["00000003.wal", "00000004.wal"], "sealed segments 1 and 2 are dropped; 3 was cut empty by the last seal")
    }

    @Test func aCrashRightAfterSealingNeitherLosesNorDuplicatesSpans() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir.path, headMax: 1000)
        let spans = Self.randomSpans(2500, traces: 300, seed: 9)
        for batch in stride(from: 0, to: spans.count, by: 100) { try store.append(Array(spans[batch..<(batch + 100)])) }
        try store.flush()
        let crashed = dir.snapshot()
        defer { crashed.remove() }
        store.close()
        // An unindexed file left by a crash between writing a partition and indexing it is removed.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: crashed.path + "/spans/partitions/s0000000000000-00000099.spans"))
        let recovered = try Self.store(crashed.path)
        defer { recovered.close() }
        var all: [Span] = []
        for low in Set(spans.map(\.traceIdLow)) { all += recovered.trace(high: 0, low: low, strict: false) }
        #expect(all.count == Set(spans).count)
        #expect(Set(all) == Set(spans))
        #expect(!FileIO.exists(crashed.path + "/spans/partitions/s0000000000000-00000099.spans"))
    }

    @Test func retentionDeletesOldPartitions() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir.path, retentionMs: 3_600_000)
        defer { store.close() }
        try store.append([SpanStoreTests.span(7, 1, service: "frontend", name: "get /")])
        try store.flush()
        #expect(store.partitionCount == 1)
        try store.applyRetention(nowMs: SpanStore.nowMs())
        #expect(store.partitionCount == 1, "the current hour is kept")
        try store.applyRetention(nowMs: SpanStore.nowMs() + 3 * 3_600_000)
        #expect(store.partitionCount == 0)
        #expect(store.trace(high: 0, low: 7, strict: true) == [])
        #expect(try FileIO.listDirectory(dir.path + "/spans/partitions") == [])
        #expect(store.serviceNames == [])
        try store.append([SpanStoreTests.span(8, 1, service: "frontend", name: "get /")])
        try store.flush()
        let files = try FileIO.listDirectory(dir.path + "/spans/partitions")
        #expect(files.map { String($0.suffix(14)) } == ["00000002.spans"], "ids are not reused")
    }
}

/// Dependency links count whole traces, however their spans were split between the head and partitions.
@Suite struct SpanDependencyTests {
    static let t0: Int64 = 1_700_000_000_000_000

    static func span(_ id: UInt64, parent: UInt64, kind: SpanKind, service: String, remote: String? = nil, shared: Bool = false) -> Span {
        Span(
            traceIdLow: 42, parentId: parent, id: id, kind: kind, name: "call", timestampUs: t0 + Int64(id) * 10, durationUs: 100,
            localEndpoint: Endpoint(serviceName: service), remoteEndpoint: remote.map { Endpoint(serviceName: $0) }, shared: shared)
    }

    @Test func aTraceSplitAcrossSealsIsLinkedOnce() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try SpanPartitionTests.store(dir.path)
        defer { store.close() }
        let endMs = Self.t0 / 1000 + 5 * 60_000
        func links(_ endTsMs: Int64 = endMs, _ lookbackMs: Int64 = 86_400_000) -> [String] {
            store.dependencies(endTsMs: endTsMs, lookbackMs: lookbackMs).map { "\($0.parent)>\($0.child):\($0.callCount)/\($0.errorCount)" }
        }
        try store.append([
            Self.span(1, parent: 0, kind: .server, service: "frontend"),
            Self.span(2, parent: 1, kind: .client, service: "frontend", remote: "backend"),
        ])
        #expect(links() == ["frontend>backend:1/0"])
        try store.flush()
        #expect(links() == ["frontend>backend:1/0"])
        // The server side and a database call arrive after the client side was sealed.
        try store.append([
            Self.span(2, parent: 1, kind: .server, service: "backend", shared: true),
            Self.span(3, parent: 2, kind: .client, service: "backend", remote: "db"),
        ])
        #expect(links() == ["backend>db:1/0", "frontend>backend:1/0"], "head part on top of the sealed part")
        #expect(links(Self.t0 / 1000 + 100, 200) == ["backend>db:1/0", "frontend>backend:1/0"], "a window inside one minute")
        try store.flush()
        #expect(links() == ["backend>db:1/0", "frontend>backend:1/0"], "the second partition stores the difference")
        #expect(links(Self.t0 / 1000 + 100, 200) == ["backend>db:1/0", "frontend>backend:1/0"])
        #expect(links(Self.t0 / 1000 - 1000, 1000) == [], "before the trace")
        // A byte-identical re-report changes nothing.
        try store.append([Self.span(3, parent: 2, kind: .client, service: "backend", remote: "db")])
        #expect(links() == ["backend>db:1/0", "frontend>backend:1/0"])
        try store.flush()
        #expect(links() == ["backend>db:1/0", "frontend>backend:1/0"])
    }
}
