import PharosCore
/// Constants of the partition file format (see `Storage/FORMAT.md`, "Partition files").
///
/// ```
/// ┌────────────── header, 24 bytes ─────────────┐
/// │ "PHPART" │ version u8 │ 0 u8 │ start i64 LE │ end i64 LE │
/// ├────────────── page (repeated) ──────────────┤
/// │ stored u32 │ raw u32 │ flags u8 │ crc32c u32 │ stored bytes │
/// └──────────────────────────────────────────────┘
/// ```
enum PartitionFormat {
    static let magic: [UInt8] = Array("PHPART".utf8)
    static let version: UInt8 = 1
    static let headerBytes = 24
    static let pageHeaderBytes = 13
    /// Series are packed into a page until it reaches this many raw bytes; 64 KiB keeps LZ4's window full
    /// while a query that wants one series decodes little else.
    static let pageTargetBytes = 64 << 10
    static let flagLZ4: UInt8 = 1
    /// Pages that LZ4 shrinks by less than 10 % are stored raw, as VictoriaMetrics does with zstd.
    static let compressionKeepRatio = 0.9
}
