/// How a chunk stores its values: the low nibble of a chunk's encoding byte.
///
/// The encoder picks one per chunk by what the values allow, VictoriaMetrics-style; see FORMAT-chunk.md.
/// Raw values are stable on disk: never renumber a case, only add.
public enum ChunkEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Every value has the same bit pattern: 8 bytes for the whole chunk.
    case constant = 1
    /// Values are decimals `m / 10^e` with one exponent `e` for the chunk and integer mantissas `m`
    /// below 2^53; mantissas are stored divided by their GCD, as order-0/1/2 deltas in Rice blocks.
    case decimal = 2
    /// Gorilla XOR of the IEEE bit patterns: the fallback for values that are not short decimals
    /// (17 significant digits, NaN payloads, infinities, -0.0).
    case xorFloat = 3

    public var description: String {
        switch self {
        case .constant: "constant"
        case .decimal: "decimal"
        case .xorFloat: "xorFloat"
        }
    }
}

/// How a chunk stores its timestamps: the high nibble of a chunk's encoding byte.
///
/// Raw values are stable on disk: never renumber a case, only add.
public enum TimestampEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// One point, or every step equal: the header's first and last timestamp say everything (0 bytes).
    case deltaConst = 1
    /// Offsets from the first timestamp, divided by their GCD, as order-0/1/2 deltas in Rice blocks.
    case packed = 2

    public var description: String {
        switch self {
        case .deltaConst: "deltaConst"
        case .packed: "packed"
        }
    }
}
