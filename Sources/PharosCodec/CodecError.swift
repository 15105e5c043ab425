/// Why a codec in ``PharosCodec`` refused its input.
///
/// Every case carries enough context (offset, expected and actual values) for the storage layer to build a
/// message that says what, where and why, e.g. "cannot decode chunk 3 of … at offset 4096: truncated …".
/// Decoders throw these for bad input and never trap; traps are reserved for broken caller invariants.
public enum CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended early: `needed` more bytes were required at `offset`, only `remaining` were left.
    case truncated(offset: Int, needed: Int, remaining: Int)
    /// The bytes are structurally invalid; the message names the field and the bad value.
    case corrupt(String)
    /// A type byte names an encoding this build does not know (written by a newer version, or damaged).
    case unsupportedEncoding(UInt8)
    /// A version byte names a format version this build does not know.
    case unsupportedVersion(UInt8)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let remaining):
            "truncated input: needed \(needed) byte(s) at offset \(offset) but only \(remaining) remain"
        case .corrupt(let why):
            "corrupt input: \(why)"
        case .unsupportedEncoding(let byte):
            "unsupported encoding byte 0x\(String(byte, radix: 16)): written by a newer Pharos or damaged"
        case .unsupportedVersion(let byte):
            "unsupported format version \(byte): written by a newer Pharos or damaged"
        }
    }
}
