import PharosCodec
import PharosCore

/// Per-connection buffers reused by `MetricStore.append`, so a batch costs no allocation once warm.
///
/// Owned by one connection (one thread at a time); never shared.
public struct AppendScratch: Sendable {
    var record = ByteWriter()
    var windowStarts: [Int64] = []
    var windows: [HeadWindow] = []

    public init() {}
}
