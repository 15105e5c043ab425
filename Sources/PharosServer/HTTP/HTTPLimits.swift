import PharosCore
/// Size limits on HTTP requests; each is a flag of `pharos serve`.
public struct HTTPLimits: Sendable {
    /// Bytes of request body as sent (possibly gzip); past it, 413.
    public var maxBodyBytes: Int = 32 << 20
    /// Bytes of body after inflating gzip/deflate; past it, 413 (a gzip bomb stops here).
    public var maxInflatedBytes: Int = 128 << 20

    public init() {}
}
