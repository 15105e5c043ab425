extension Span {
    /// The trace id as Zipkin writes it: 16 or 32 lower-hex characters.
    public var traceIdHex: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        LowerHex.appendTraceId(high: traceIdHigh, low: traceIdLow, is128Bit: traceIdIs128Bit, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The span id as 16 lower-hex characters.
    public var idHex: String { LowerHex.string(id) }

    /// The parent id as 16 lower-hex characters, or nil for a root span.
    public var parentIdHex: String? { parentId == 0 ? nil : LowerHex.string(parentId) }
}
