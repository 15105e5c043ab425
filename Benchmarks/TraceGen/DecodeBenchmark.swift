import ArgumentParser
import Foundation
import PharosCore
import PharosIngest
import SwiftProtobuf
import ZipkinProto

/// `tracegen decode`: single-core speed of the Zipkin span decoders on realistic request bodies.
///
/// Builds one set of request bodies (100 spans each by default, as a reporter batches them) from generated
/// traces, encodes them as JSON v2 (`ZipkinJSONV2Encoder`) and proto3 (the generated SwiftProtobuf
/// messages), checks that Pharos's decoders give back exactly the spans encoded, then times each decoder
/// over all bodies for a few passes and reports the best pass in spans per second. SwiftProtobuf's own
/// decoder of the generated `ListOfSpans` is timed as the baseline: it builds generic messages (no Zipkin
/// rules, ids left as bytes), so it is the bar a hand-written proto3 decoder should clear. Runs on the calling
/// thread only; use a release build.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Time the Zipkin JSON v2 and proto3 span decoders on one core (spans/s).")

    @Option(help: "Distinct request bodies.")
    var requests = 200
    @Option(help: "Spans per request body.")
    var spansPerRequest = 100
    @Option(help: "Timed passes over all bodies per decoder; the best is reported.")
    var passes = 5
    @Option(help: "Minimum seconds per pass (the bodies are decoded again until it is reached).")
    var seconds = 0.5
    @Option(help: "Seed of the generated traces.")
    var seed: UInt64 = 42
    @Option(help: "Time only this decoder (json, proto3 or swiftprotobuf), e.g. under a profiler.")
    var only: String?

    func run() throws {
        let batches = makeBatches()
        let json = batches.map { batch in
            var out: [UInt8] = []
            ZipkinJSONV2Encoder.encode(batch, into: &out)
            return out
        }
        // tags in key order, as Zipkin's `Proto3SpanWriter` and Brave write them
        let proto = try batches.map { batch in
            var out: [UInt8] = []
            try ProtoBodyEncoder.encode(batch, into: &out)
            return out
        }
        let expected = batches.joined().count
        try check(json, batches, ZipkinJSONV2Decoder.self, "JSON v2")
        try check(proto, batches, ZipkinProto3Decoder.self, "proto3")
        let jsonBytes = json.reduce(0) { $0 + $1.count }
        let protoBytes = proto.reduce(0) { $0 + $1.count }
        let tags = Double(batches.joined().reduce(0) { $0 + $1.tags.count }) / Double(expected)
        print(
            "decode: \(json.count) bodies × \(spansPerRequest) spans, \(String(format: "%.1f", tags)) tags/span; JSON v2 "
                + "\(jsonBytes / expected) B/span, proto3 \(protoBytes / expected) B/span; best of \(passes) passes, "
                + "per CPU-second of one thread")
        if only == nil || only == "json" {
            report("Pharos JSON v2", jsonBytes, time(json, expected, pharos(ZipkinJSONV2Decoder.self)))
        }
        if only == nil || only == "proto3" {
            report("Pharos proto3", protoBytes, time(proto, expected, pharos(ZipkinProto3Decoder.self)))
        }
        if only == nil || only == "swiftprotobuf" {
            report(
                "SwiftProtobuf proto3", protoBytes,
                time(proto, expected) { body, _ in
                    let list = try Zipkin_Proto3_ListOfSpans(serializedBytes: body)
                    blackHole(list.spans.count)
                })
        }
    }

    /// The generated traces cut into request bodies, as a reporter flushes its queue.
    func makeBatches() -> [[Span]] {
        var generator = TraceGenerator(seed: seed)
        var spans: [Span] = []
        let total = requests * spansPerRequest
        spans.reserveCapacity(total)
        var startUs: Int64 = 1_700_000_000_000_000
        while spans.count < total {
            spans.append(contentsOf: generator.nextTrace(startUs: startUs))
            startUs += 1_000
        }
        return (0..<requests).map { r in Array(spans[(r * spansPerRequest)..<((r + 1) * spansPerRequest)]) }
    }

    /// Stops the benchmark when a decoder does not give back exactly the spans encoded.
    func check(_ bodies: [[UInt8]], _ batches: [[Span]], _ decoder: any ZipkinSpanDecoder.Type, _ name: String) throws {
        for (body, batch) in zip(bodies, batches) where try decoder.decode(body) != batch {
            throw ValidationError("the \(name) decoder does not round-trip the generated spans")
        }
    }

    /// A Pharos decoder as the timing loop calls it.
    func pharos(_ decoder: any ZipkinSpanDecoder.Type) -> ([UInt8], inout [Span]) throws -> Void {
        { body, spans in
            var failure: ZipkinDecodingError? = nil
            body.withUnsafeBytes { raw in
                do throws(ZipkinDecodingError) { try decoder.decode(raw, into: &spans) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// CPU seconds (of this thread) of the fastest pass over every body: CPU time, not wall time, so that
    /// other work on a shared machine does not count against the decoder.
    func time(
        _ bodies: [[UInt8]], _ spanCount: Int, _ decode: ([UInt8], inout [Span]) throws -> Void
    ) -> (seconds: Double, spans: Int) {
        var best = Double.infinity
        var spans: [Span] = []
        spans.reserveCapacity(spansPerRequest)
        for _ in 0..<passes {
            let started = threadCPUSeconds()
            var rounds = 0
            var elapsed = 0.0
            repeat {
                for body in bodies {
                    spans.removeAll(keepingCapacity: true)
                    do { try decode(body, &spans) } catch { fatalError("BUG: a checked body failed: \(error)") }
                    blackHole(spans.count)
                }
                rounds += 1
                elapsed = threadCPUSeconds() - started
            } while elapsed < seconds
            best = min(best, elapsed / Double(rounds))
        }
        return (best, spanCount)
    }

    func report(_ name: String, _ bytes: Int, _ result: (seconds: Double, spans: Int)) {
        let spansPerSecond = Double(result.spans) / result.seconds
        let megabytes = Double(bytes) / result.seconds / 1e6
        print(
            name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: "%6.2f M spans/s  %7.1f MB/s", spansPerSecond / 1e6, megabytes))
    }
}

/// CPU time consumed by the calling thread.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Keeps the optimiser from dropping a decode whose result is otherwise unused.
@inline(never)
func blackHole(_ value: Int) {
    if value == -1 { print("") }
}
