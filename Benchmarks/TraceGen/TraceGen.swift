import ArgumentParser

/// The `tracegen` command: realistic Zipkin traces as pre-encoded request bodies, an HTTP load client that
/// posts them, and a latency client for the trace queries. `scripts/bench-traces.sh` drives all three.
struct TraceGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracegen",
        abstract: "Generate Zipkin traces, post them to a collector, and time trace queries.",
        subcommands: [GenerateCommand.self, IngestCommand.self, QueryCommand.self, SampleCommand.self, DecodeBenchmark.self]
    )
}
