public import PharosCore

extension DataPoint {
    /// The point a fast-path telnet parse describes, for a series the server found in its cache.
    public init(_ raw: RawPut) {
        self.init(timestampMs: raw.timestampMs, value: raw.value)
    }
}
