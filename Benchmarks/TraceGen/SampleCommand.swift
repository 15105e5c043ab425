import ArgumentParser
import PharosCore
import PharosIngest

/// `tracegen sample`: a few traces as JSON v2 lines, statistics over many, or the topology, to see what the
/// generator makes before benchmarking with it.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Print generated traces as JSON v2 (one trace per line), their statistics, or the topology.")

    @Option(help: "Traces to print.")
    var traces = 1
    @Option(help: "Traces to summarise on stderr (0 for none).")
    var stats = 0
    @Option(help: "Data seed.")
    var seed: UInt64 = 1
    @Option(help: "Nodes in the topology (10–30, backends included).")
    var services = 20
    @Flag(help: "Print the topology (nodes, routes, calls) instead of traces.")
    var topology = false

    func run() throws {
        var generator = TraceGenerator(seed: seed, services: services)
        if topology {
            print(generator.topology.description)
            return
        }
        var clock = SimulatedClock(startUs: 1_700_000_000_000_000, tracesPerSecond: 200)
        var out: [UInt8] = []
        for _ in 0..<traces {
            out.removeAll(keepingCapacity: true)
            ZipkinJSONV2Encoder.encode(generator.nextTrace(startUs: clock.next(&generator.random)), into: &out)
            print(String(decoding: out, as: UTF8.self))
        }
        guard stats > 0 else { return }
        var summary = TraceStats()
        for _ in 0..<stats { summary.add(generator.nextTrace(startUs: clock.next(&generator.random))) }
        StandardError.print(summary.summary)
    }
}
