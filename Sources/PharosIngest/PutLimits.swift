/// Per-server limits on one OpenTSDB write, mirroring OpenTSDB's configuration knobs.
///
/// `maxTags` is `tsd.storage.max_tags` (OpenTSDB's default is 8); `maxLineBytes` is the telnet frame
/// limit that the server's line splitter enforces (the parsers never see a longer line).
public struct PutLimits: Sendable, Hashable {
    /// Most tags one series may carry; more is `Too many tags: …`.
    public var maxTags: Int = 8
    /// Longest telnet line, without its terminator; the server's framing enforces it.
    public var maxLineBytes: Int = 1024

    /// Limits with OpenTSDB's defaults unless overridden.
    public init(maxTags: Int = 8, maxLineBytes: Int = 1024) {
        self.maxTags = maxTags
        self.maxLineBytes = maxLineBytes
    }
}
