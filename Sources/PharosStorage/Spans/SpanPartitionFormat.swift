/// Layout constants of a span partition file (`spans/partitions/sHOUR-ID.spans`, see `Storage/FORMAT.md`).
///
/// ```
/// "PHSPAN" │ version u8 = 1 │ 0 ┐ blocks … │ dictionary │ footer │ footer length u32 │ footer crc32c u32 │ "PHSPAN\0\0"
/// block / dictionary: LZ4 (or stored, when LZ4 saves < 10 %) of the raw bytes
/// footer: blocks varint × (offset varint, stored length varint, raw length varint, lz4 u8, crc32c u32 of the stored bytes)
///         dictionary (offset, stored length, raw length, lz4, crc32c) as one more entry
/// ```
enum SpanPartitionFormat {
    static let magic: [UInt8] = Array("PHSPAN".utf8)
    static let version: UInt8 = 1
    static let trailerMagic: [UInt8] = Array("PHSPAN".utf8) + [0, 0]
    static let headerBytes = 8
    static let trailerBytes = 16
    /// Traces are packed into blocks of about this many raw bytes: one block is what a trace-by-id read decodes.
    static let blockTargetBytes = 64 << 10
}

/// Where one compressed section of a span partition lives.
struct SpanSection: Sendable {
    var offset: Int
    var storedLength: Int
    var rawLength: Int
    var compressed: Bool
    var checksum: UInt32
}
