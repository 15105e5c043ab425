import PharosCodec
import PharosCore
import Testing

@testable import PharosStorage

/// The span WAL and head: what is appended is found by trace id and by name, and comes back after a crash.
@Suite struct SpanStoreTests {
    static func span(_ low: UInt64, _ id: UInt64, service: String, name: String, remote: String? = nil, high: UInt64 = 0) -> Span {
        Span(
            traceIdHigh: high, traceIdLow: low, parentId: id == 1 ? 0 : 1, id: id, kind: remote == nil ? .server : .client,
            name: name, timestampUs: 1_700_000_000_000_000 + Int64(id), durationUs: 1500,
            localEndpoint: Endpoint(serviceName: service, ipv4: 0x0A00_0001, port: 8080),
            remoteEndpoint: remote.map { Endpoint(serviceName: $0, ipv6: IPv6Address(high: 0x2001_0db8_0000_0000, low: 1)) },
            annotations: [SpanAnnotation(timestampUs: 1_700_000_000_000_100, value: "ws")],
            tags: [SpanTag(key: "http.method", value: "GET"), SpanTag(key: "http.path", value: "/api")], debug: id == 2, shared: false)
    }

    @Test func spansRoundTripThroughTheWALAndTheHead() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        var options = testOptions(dir.path)
        options.fsync = .never
        let spans = [
            Self.span(7, 1, service: "frontend", name: "get /"),
            Self.span(7, 2, service: "frontend", name: "get /api", remote: "backend"),
            Self.span(8, 3, service: "backend", name: "select", high: 0xABCD),
        ]
        var spanOptions = SpanStoreOptions()
        spanOptions.autocompleteKeys = ["http.method"]
        let store = try SpanStore(options: options, spanOptions: spanOptions, logger: LogCapture().logger)
        try store.append(spans)
        #expect(store.trace(high: 0, low: 7, strict: true) == Array(spans[0..<2]))
        #expect(store.serviceNames == ["backend", "frontend"])
        #expect(store.spanNames(service: "frontend") == ["get /", "get /api"])
        #expect(store.remoteServiceNames(service: "frontend") == ["backend"])
        #expect(store.autocompleteValues(key: "http.method") == ["GET"])
        #expect(store.autocompleteValues(key: "http.path") == [])
        // A crash: the directory as it is while the store is open, opened again.
        let crashed = dir.snapshot()
        defer { crashed.remove() }
        var crashedOptions = options
        crashedOptions.dataDirectory = crashed.path
        let recovered = try SpanStore(options: crashedOptions, logger: LogCapture().logger)
        defer { recovered.close() }
        #expect(recovered.spanCount == 3)
        #expect(recovered.trace(high: 0xABCD, low: 8, strict: true) == [spans[2]])
        #expect(recovered.trace(high: 0, low: 8, strict: true) == [])
        #expect(recovered.trace(high: 0, low: 8, strict: false) == [spans[2]])
        store.close()
    }

    @Test func garbageSpanRecordsThrowInsteadOfCrashing() throws {
        var writer = ByteWriter()
        SpanRecordCodec.encode(Self.span(1, 2, service: "a", name: "b", remote: "c"), into: &writer)
        let bytes = writer.bytes
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            var mutated = bytes
            let cut = Int(rng.next() % UInt64(bytes.count))
            if rng.next() % 2 == 0 { mutated.removeLast(bytes.count - cut) } else { mutated[cut] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
            var reader = ByteReader(mutated)
            _ = try? SpanRecordCodec.decode(&reader)
        }
        var reader = ByteReader(bytes)
        let decoded = try SpanRecordCodec.decode(&reader)
        #expect(decoded == Self.span(1, 2, service: "a", name: "b", remote: "c"))
    }
}
