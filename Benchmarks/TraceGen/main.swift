import ArgumentParser

// `tracegen`: the trace benchmark's data generator, load client and query-latency client (Benchmarks/README.md).
TraceGen.main()
