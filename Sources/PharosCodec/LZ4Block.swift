internal import CLZ4

/// LZ4 block compression (liblz4's raw block format, no frame header): fast, for sealed blocks and WAL pages.
///
/// The block format does not record the decompressed size, so callers store it beside the compressed bytes.
/// Stateless and thread-safe. Inputs are limited to `Int32.max` bytes by liblz4.
public enum LZ4Block {
    /// The most bytes ``compress(_:into:)`` can append for `sourceCount` input bytes.
    public static func maxCompressedCount(_ sourceCount: Int) -> Int {
        precondition(sourceCount >= 0 && sourceCount <= Int(Int32.max), "LZ4 input of \(sourceCount) bytes is out of range")
        return Int(LZ4_compressBound(Int32(sourceCount)))
    }

    /// Appends the LZ4 block of `source` to `writer` and returns how many bytes it appended.
    @discardableResult
    public static func compress(_ source: UnsafeRawBufferPointer, into writer: inout ByteWriter) -> Int {
        let bound = maxCompressedCount(source.count)
        var empty: UInt8 = 0
        return withUnsafeMutablePointer(to: &empty) { emptyPointer in
            let src = source.baseAddress ?? UnsafeRawPointer(emptyPointer)
            return writer.appendUninitialized(count: bound) { destination in
                let written = LZ4_compress_default(
                    src.assumingMemoryBound(to: CChar.self),
                    destination.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: CChar.self),
                    Int32(source.count), Int32(bound))
                precondition(written > 0, "BUG: LZ4_compress_default failed with a bound-sized output buffer")
                return Int(written)
            }
        }
    }

    /// Decompresses the LZ4 block `source` into the first `decompressedSize` bytes of `destination`.
    ///
    /// Throws ``CodecError/corrupt(_:)`` if the block is malformed or does not decode to exactly
    /// `decompressedSize` bytes; never reads or writes out of bounds (liblz4's `_safe` decoder).
    public static func decompress(
        _ source: UnsafeRawBufferPointer, decompressedSize: Int, into destination: UnsafeMutableRawBufferPointer
    ) throws(CodecError) {
        guard decompressedSize >= 0, decompressedSize <= destination.count, decompressedSize <= Int(Int32.max) else {
            throw CodecError.corrupt(
                "LZ4 decompressed size \(decompressedSize) does not fit the \(destination.count)-byte destination")
        }
        guard source.count > 0, source.count <= Int(Int32.max), let src = source.baseAddress else {
            throw CodecError.corrupt("LZ4 block is empty")
        }
        var spare: UInt8 = 0
        let produced = withUnsafeMutablePointer(to: &spare) { sparePointer in
            let dst = destination.baseAddress ?? UnsafeMutableRawPointer(sparePointer)
            return LZ4_decompress_safe(
                src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                Int32(source.count), Int32(decompressedSize))
        }
        guard produced >= 0 else {
            throw CodecError.corrupt("LZ4 block of \(source.count) bytes is malformed (liblz4 error \(produced))")
        }
        guard Int(produced) == decompressedSize else {
            throw CodecError.corrupt("LZ4 block decoded to \(produced) bytes, expected \(decompressedSize)")
        }
    }

    /// Decompresses the LZ4 block `source`, which must decode to exactly `decompressedSize` bytes.
    public static func decompress(_ source: UnsafeRawBufferPointer, decompressedSize: Int) throws(CodecError) -> [UInt8] {
        guard decompressedSize >= 0 else { throw CodecError.corrupt("negative LZ4 decompressed size \(decompressedSize)") }
        var failure: CodecError?
        let result = [UInt8](unsafeUninitializedCapacity: decompressedSize) { buffer, initialized in
            do throws(CodecError) {
                try decompress(source, decompressedSize: decompressedSize, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = decompressedSize
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }
}
