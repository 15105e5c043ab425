import ArgumentParser

/// `pharos`: the daemon and its client commands.
@main
struct Pharos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pharos",
        abstract: "One daemon for Zipkin spans and OpenTSDB metrics: ingest, storage, query and alerting.",
        subcommands: [Serve.self, Bench.self, QueryCommand.self],
        defaultSubcommand: Serve.self)
}
