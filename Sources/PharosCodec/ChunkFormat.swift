/// Constants of the chunk format (see FORMAT-chunk.md), each with the measurement that chose it.
///
/// Changing any of them changes the bytes on disk: bump ``version`` and update the golden-byte tests.
enum ChunkFormat {
    /// The first byte of every chunk. Bump on any change to the byte layout.
    static let version: UInt8 = 1

    /// Most points in one chunk (VictoriaMetrics' `maxRowsPerBlock`); a day at 10 s (8640) needs two chunks.
    static let maxPoints = 8192

    /// Values per Rice block: each block picks its own mode, base and Rice parameter.
    /// Node dataset, 720-point chunks: 128 → 0.9872 B/pt and 19.7 M pts/s encode, 256 → 0.9855 and 25.0 M/s.
    /// Trying every k in 0…40 instead of floor(log2(mean)) ± 1 gained 0.0004 B/pt, so the plan tries 3.
    static let blockSize = 256

    /// A Rice quotient this large is escaped (this many zero bits, then the 64-bit value verbatim).
    /// Bounds every code at 88 bits so garbage input terminates; with k ≈ log2(mean) only outliers (a spike,
    /// a counter reset) escape.
    static let riceEscapeQuotient = 24

    /// Largest Rice parameter: with it a code's `1 + k` bits fit the 57 bits one ``BitReader/peek()`` returns.
    static let maxRiceParameter = 56

    /// Largest decimal exponent tried: 10^18 is exact in a Double, and mantissas stay below 2^53.
    static let maxDecimalExponent = 18

    /// A block is tried in sparse mode (zero bitmap + nonzero values) when at least this share of its
    /// residuals are zero (with fewer zeros a 1-bit-per-value bitmap cannot pay for itself on Rice codes
    /// of ≥ 2 bits). The plan still compares exact bit costs; this only skips hopeless tries.
    static let sparseMinimumZeroFraction = 0.25
}
