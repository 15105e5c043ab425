import NIOHTTP1
import PharosCore
import PharosIngest
import PharosStorage

/// `/api/suggest` and `/api/search/lookup`, answered from the in-memory `SeriesLookupIndex` (never SQLite).
/// The index may have to catch up with many new series, so both run on the thread pool.
struct LookupRoutes: Sendable {
    let index: SeriesLookupIndex
    let offload: @Sendable (@escaping @Sendable () -> Void) -> Void

    /// A JSON array of names with the prefix, in byte order, at most `max` (25 by default).
    func suggest(_ request: HTTPRequest, _ sink: ResponseSink) {
        let parsed: SuggestRequest
        do { parsed = try SuggestRequest.parse(request) } catch { return sink(error.response) }
        offload {
            let names = index.suggest(parsed.kind, prefix: parsed.prefix, max: parsed.max)
            sink(.json(.ok, "[" + names.map(OpenTSDBResponses.jsonString).joined(separator: ",") + "]"))
        }
    }

    /// OpenTSDB's `LOOKUP` search result. As in OpenTSDB's code (not its docs), `totalResults` counts the
    /// results returned, which `limit` caps; an unknown name is a 404.
    func lookup(_ request: HTTPRequest, _ sink: ResponseSink) {
        let parsed: LookupRequest
        do { parsed = try LookupRequest.parse(request) } catch { return sink(error.response) }
        offload {
            let started = ContinuousClock.now
            let matches: [(SeriesRef, SeriesKey)]
            do throws(SeriesLookupQuery.UnknownName) { matches = try index.lookup(parsed.query, limit: parsed.limit) } catch {
                return sink(MetaAPIError("Unable to resolve one or more UIDs", details: error.description, status: 404).response)
            }
            let elapsed = started.duration(to: .now).components
            let ms = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
            sink(.json(.ok, Self.render(parsed, matches, timeMs: ms)))
        }
    }

    /// Jackson's rendering of OpenTSDB's `SearchQuery`: null fields left out, `time` a Java float.
    static func render(_ request: LookupRequest, _ matches: [(SeriesRef, SeriesKey)], timeMs: Int64) -> String {
        var out = "{\"type\":\"LOOKUP\""
        if let metric = request.metric { out += ",\"metric\":" + OpenTSDBResponses.jsonString(metric) }
        if let tags = request.tags {
            out += ",\"tags\":[" + tags.map { "{\"key\":\(json($0.key)),\"value\":\(json($0.value))}" }.joined(separator: ",") + "]"
        }
        out += ",\"limit\":\(request.limit),\"time\":\(timeMs).0,\"results\":["
        for (index, (ref, key)) in matches.enumerated() {
            if index > 0 { out += "," }
            out += "{\"tsuid\":\"\(ref.tsuid)\",\"metric\":" + OpenTSDBResponses.jsonString(key.metric) + ",\"tags\":{"
            out += key.tags.map { OpenTSDBResponses.jsonString($0.key) + ":" + OpenTSDBResponses.jsonString($0.value) }.joined(
                separator: ",")
            out += "}}"
        }
        return out + "],\"startIndex\":\(request.startIndex),\"totalResults\":\(matches.count)}"
    }

    private static func json(_ text: String?) -> String {
        text.map(OpenTSDBResponses.jsonString) ?? "null"
    }
}
