import ArgumentParser
import Foundation
import PharosCore
import PharosIngest

/// `tracegen generate`: encodes generated traces once into a body file (and a query sidecar), so the load
/// client only copies bytes to sockets while it measures.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Pre-encode generated traces as Zipkin request bodies (JSON v2 or proto3).")

    @Option(help: "Spans to generate (whole traces: the last trace may go a little over).")
    var spans = 1_000_000
    @Option(help: "Body encoding: json (JSON v2) or proto (proto3 ListOfSpans).")
    var format = "json"
    @Option(help: "Spans per request body.")
    var batch = 100
    @Option(help: "Body file to write.")
    var out: String
    @Option(help: "Sidecar JSON for `tracegen query` (default: OUT.sidecar.json).")
    var sidecar: String?
    @Option(help: "Data seed; use a different one per dataset so trace ids do not collide.")
    var seed: UInt64 = 1
    @Option(help: "Nodes in the topology (10–30, backends included).")
    var services = 20
    @Option(help: "Start of the first trace, epoch µs (default: two hours ago, to the second).")
    var startUs: Int64?
    @Option(help: "Mean traces per second of simulated time (sets the time window the data covers).")
    var tracesPerSecond = 200.0
    @Flag(help: "Decode every body with Pharos's decoder and stop unless it gives back exactly the generated spans.")
    var verify = false

    func validate() throws {
        guard format == "json" || format == "proto" else { throw ValidationError("--format must be json or proto") }
        guard spans > 0, batch > 0 else { throw ValidationError("--spans and --batch must be positive") }
    }

    func run() throws {
        let bodyFormat: BodyFile.Format = format == "json" ? .json : .proto
        let start = startUs ?? (Int64(Date().timeIntervalSince1970) - 7200) * 1_000_000
        var generator = TraceGenerator(seed: seed, services: services)
        var clock = SimulatedClock(startUs: start, tracesPerSecond: tracesPerSecond)
        var assembler = BatchAssembler(batchSize: batch)
        var sampler = SidecarSampler(seed: seed)
        var stats = TraceStats()
        let writer = try BodyFile.Writer(path: out, format: bodyFormat)
        var body: [UInt8] = []
        body.reserveCapacity(batch * 700)
        let began = Date()
        var lastReport = began
        let emit = { (batch: [Span]) throws in
            body.removeAll(keepingCapacity: true)
            switch bodyFormat {
            case .json: ZipkinJSONV2Encoder.encode(batch, into: &body)
            case .proto: try ProtoBodyEncoder.encode(batch, into: &body)
            }
            if verify { try Self.verify(body, batch, bodyFormat) }
            try writer.append(body, spans: batch.count)
        }
        while stats.spans < spans {
            let trace = generator.nextTrace(startUs: clock.next(&generator.random))
            stats.add(trace)
            sampler.add(trace)
            try assembler.add(trace, emit: emit)
            if stats.traces % 256 == 0, Date().timeIntervalSince(lastReport) >= 0.5 {
                lastReport = Date()
                let rate = Double(stats.spans) / lastReport.timeIntervalSince(began)
                StandardError.progress(
                    String(
                        format: "generate: %d / %d spans (%.0f%%), %.2f M spans/s", stats.spans, spans,
                        100 * Double(stats.spans) / Double(spans), rate / 1e6))
            }
        }
        try assembler.flush(emit: emit)
        try writer.finish(format: bodyFormat)
        let seconds = Date().timeIntervalSince(began)
        let sidecarPath = sidecar ?? out + ".sidecar.json"
        try sampler.sidecar(format: format, seed: seed, spans: writer.spanCount, bodies: writer.bodyCount).write(to: sidecarPath)
        StandardError.progress("")
        let size = String(
            format: "%.1f MB (%d B/span) in %.1f s", Double(writer.byteCount) / 1e6,
            writer.byteCount / max(1, writer.spanCount), seconds)
        StandardError.print("generate: \(format) \(writer.bodyCount) bodies, \(writer.spanCount) spans, \(size) → \(out), \(sidecarPath)")
        StandardError.print("generate: " + stats.summary + (verify ? "; every body decodes to its spans" : ""))
    }

    /// Checks that the generated spans are in the decoders' normalised form and the encoders are faithful.
    static func verify(_ body: [UInt8], _ spans: [Span], _ format: BodyFile.Format) throws {
        let decoded = try format == .json ? ZipkinJSONV2Decoder.decode(body) : ZipkinProto3Decoder.decode(body)
        guard decoded == spans else {
            let bad = spans.indices.first { $0 >= decoded.count || decoded[$0] != spans[$0] } ?? spans.count
            let got = bad < decoded.count ? "\(decoded[bad])" : "nothing"
            throw ToolError(
                "body does not decode to its spans: span \(bad) of \(spans.count) is \(got), generated \(spans[min(bad, spans.count - 1)])")
        }
    }
}
