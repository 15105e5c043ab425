public import PharosIngest
public import PharosStorage
import PharosCore

/// Everything `pharos serve` can be told; each field is a flag and an environment variable.
public struct ServerOptions: Sendable {
    public var host = "0.0.0.0"
    public var httpPort = 9411
    public var openTSDBPort = 4242
    public var storage: StorageOptions
    public var putLimits = PutLimits()
    public var httpLimits = HTTPLimits()
    /// Event loop threads; 0 means one per core.
    public var threads = 0

    public init(dataDirectory: String) {
        storage = StorageOptions(dataDirectory: dataDirectory)
    }
}
