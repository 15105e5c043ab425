import Foundation
import PharosCore

/// What `tracegen query` needs to ask realistic questions of a dataset: a sample of its trace ids, its
/// services and span names, durations to search for, and the time range it covers. Written as JSON next to
/// the body file by `generate`.
struct Sidecar: Codable {
    /// A `/api/v2/traces?serviceName=…&minDuration=…` search that matches at least the sampled span's trace.
    struct DurationQuery: Codable {
        var serviceName: String
        var minDurationUs: Int64
    }

    var format: String
    var seed: UInt64
    var spans: Int
    var traces: Int
    var bodies: Int
    /// Earliest and latest span start (epoch µs); queries set `endTs` from the latter.
    var firstTimestampUs: Int64
    var lastTimestampUs: Int64
    /// Local service names, sorted.
    var services: [String]
    /// Span names per local service, sorted.
    var spanNames: [String: [String]]
    /// Up to `sampleSize` trace ids, uniformly drawn.
    var traceIds: [String]
    var durationQueries: [DurationQuery]

    static func load(_ path: String) throws -> Sidecar {
        guard let data = FileManager.default.contents(atPath: path) else { throw ToolError("cannot read sidecar \(path)") }
        do { return try JSONDecoder().decode(Sidecar.self, from: data) } catch { throw ToolError("cannot parse sidecar \(path): \(error)") }
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(self)) else {
            throw ToolError("cannot write \(path)")
        }
    }
}

/// Collects a `Sidecar` while traces are generated: uniform reservoir samples (Algorithm R) with their own
/// seeded generator, so the sample does not disturb the traces' random stream. Not thread-safe.
struct SidecarSampler {
    let sampleSize: Int
    private var random: SplitMix64
    private var tracesSeen = 0
    private var serverSpansSeen = 0
    private var traceIds: [String] = []
    private var durationQueries: [Sidecar.DurationQuery] = []
    private var spanNames: [String: Set<String>] = [:]
    private var first = Int64.max
    private var last = Int64.min

    init(seed: UInt64, sampleSize: Int = 1000) {
        self.sampleSize = sampleSize
        random = SplitMix64(seed: seed ^ 0x5AD3_CA12)
    }

    mutating func add(_ trace: [Span]) {
        guard let root = trace.first else { return }
        tracesSeen += 1
        if let slot = reservoirSlot(seen: tracesSeen) { put(root.traceIdHex, at: slot, in: &traceIds) }
        for span in trace {
            first = min(first, span.timestampUs)
            last = max(last, span.timestampUs)
            guard let service = span.localEndpoint?.serviceName else { continue }
            if let name = span.name, spanNames[service]?.contains(name) != true { spanNames[service, default: []].insert(name) }
            if span.kind == .server {
                serverSpansSeen += 1
                if let slot = reservoirSlot(seen: serverSpansSeen) {
                    put(Sidecar.DurationQuery(serviceName: service, minDurationUs: span.durationUs), at: slot, in: &durationQueries)
                }
            }
        }
    }

    /// Where the `seen`-th item goes in a reservoir, or nil to skip it.
    private mutating func reservoirSlot(seen: Int) -> Int? {
        if seen <= sampleSize { return seen - 1 }
        let j = random.index(below: seen)
        return j < sampleSize ? j : nil
    }

    private func put<T>(_ item: T, at slot: Int, in array: inout [T]) {
        if slot == array.count { array.append(item) } else { array[slot] = item }
    }

    func sidecar(format: String, seed: UInt64, spans: Int, bodies: Int) -> Sidecar {
        Sidecar(
            format: format, seed: seed, spans: spans, traces: tracesSeen, bodies: bodies,
            firstTimestampUs: first == .max ? 0 : first, lastTimestampUs: last == .min ? 0 : last,
            services: spanNames.keys.sorted(), spanNames: spanNames.mapValues { $0.sorted() },
            traceIds: traceIds, durationQueries: durationQueries)
    }
}
