import ArgumentParser

/// `pharos bench …`: measurements that run in-process (the side-by-side ingest harness is `make bench`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "In-process benchmarks.", subcommands: [])
}
