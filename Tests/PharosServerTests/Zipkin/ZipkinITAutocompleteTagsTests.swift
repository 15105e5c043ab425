import Foundation
import Testing

/// Zipkin's `ITAutocompleteTags` (reference B.4) on a daemon started with `--autocomplete-keys http.host`,
/// plus the caching rules of `ITZipkinServerAutocomplete`.
@Suite(.serialized, .sharedDaemon("--autocomplete-keys", "http.host"))
struct ZipkinITAutocompleteTagsTests {
    /// `TestObjects.LOTS_OF_SPANS[i]`: a 64-bit random trace id used as span id, fields of the shared builder.
    static func lotsOfSpans(_ count: Int) -> [ZipkinSpan] {
        (0..<count).map { _ in
            let id = TestObjects.hex(UInt64.random(in: 1...UInt64.max))
            return TestObjects.spanBuilder("").with { $0.traceId = id; $0.id = id }
        }
    }

    @Test func shouldNotStoreWhenKeyNotInAutocompleteTags() throws {
        let c = try ZipkinCase()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try c.accept(Self.lotsOfSpans(1)[0].with { $0.timestamp = now; $0.tags["http.method"] = "GET" })
        try c.inEveryPhase {
            try c.expectStrings("/api/v2/autocompleteKeys", ["http.host"])
            try c.expectStrings("/api/v2/autocompleteValues?key=http.method", [])
        }
    }

    @Test func getTagsAndValues() throws {
        let c = try ZipkinCase()
        for span in Self.lotsOfSpans(2) {
            try c.accept(span.with { $0.tags["http.method"] = "GET"; $0.tags["http.host"] = "host1" })
        }
        try c.inEveryPhase(restart: true) {
            try c.expectStrings("/api/v2/autocompleteKeys", ["http.host"])
            try c.expectStrings("/api/v2/autocompleteValues?key=http.host", ["host1"])
        }
    }

    /// `ITZipkinServerAutocomplete` (keys `environment,clnt/finagle.version`): the keys endpoint is always
    /// cacheable, a values endpoint once it knows more than three values.
    @Test func setsCacheControlOnAutocompleteEndpoints() throws {
        let c = try ZipkinCase(freshDaemon: ["--autocomplete-keys", "environment,clnt/finagle.version"])
        let cacheable = "max-age=300, must-revalidate"
        func cacheControl(_ path: String) throws -> String? { try TestHTTP.get(c.port, path).headers["cache-control"] }
        #expect(try cacheControl("/api/v2/autocompleteKeys") == cacheable)
        #expect(try cacheControl("/api/v2/autocompleteValues?key=environment") == nil)
        #expect(try cacheControl("/api/v2/autocompleteValues?key=clnt/finagle.version") == nil)
        for i in 0..<4 {
            try c.accept(
                ZipkinSpan(traceId: "a", id: String(i + 1), name: "whopper", timestamp: TestObjects.TODAY, tags: ["clnt/finagle.version": "6.45.\(i)"]))
        }
        #expect(try cacheControl("/api/v2/autocompleteValues?key=environment") == nil)
        #expect(try cacheControl("/api/v2/autocompleteValues?key=clnt/finagle.version") == cacheable)
    }
}
