import Foundation
import Logging
import PharosCodec
import PharosCore
import Synchronization
import Testing

@testable import PharosStorage

/// The on-disk WAL format, byte for byte. If one of these fails, the format changed: bump the version
/// byte (WAL.magic[5]), keep a reader for the old version, and update Storage/FORMAT.md, then the bytes here.
@Suite struct GoldenBytesTests {
    static let segmentHeader: [UInt8] = [0x50, 0x48, 0x57, 0x41, 0x4C, 0x01, 0x00, 0x00]  // "PHWAL", version 1, 2 reserved

    /// `[u32 len=40][u32 crc32c][u8 type=2]` then count 3, base zigzag(1_700_000_000_000), and per sample
    /// `id varint, Δt zigzag, f64 LE` for (3, +0, 1.5), (1, +10 000, -2.0), (200, −5, 0.0).
    static let samplesRecord =
        "28000000" + "c083bd0b" + "02" + "03" + "80a0abfef962"
        + "03" + "00" + "000000000000f83f"
        + "01" + "a09c01" + "00000000000000c0"
        + "c801" + "09" + "0000000000000000"

    /// `[u32 len=14][u32 crc32c][u8 type=1]` then count 1, id 7, length 11, "cpu{host=a}".
    static let seriesRecord = "0e000000" + "a8d35635" + "01" + "01" + "07" + "0b" + "6370757b686f73743d617d"

    static func goldenBatch() -> SampleBatch {
        var batch = SampleBatch()
        batch.append(series: SeriesRef(id: 3), timestampMs: 1_700_000_000_000, value: 1.5)
        batch.append(series: SeriesRef(id: 1), timestampMs: 1_700_000_010_000, value: -2.0)
        batch.append(series: SeriesRef(id: 200), timestampMs: 1_699_999_999_995, value: 0.0)
        return batch
    }

    @Test func walSegmentHeader() throws {
        #expect(WAL.magic == Self.segmentHeader)
        let dir = TempDirectory()
        defer { dir.remove() }
        let wal = try WALTests.openWAL(dir, testOptions(dir.path), next: 5)
        wal.close()
        #expect(readFile(dir.path + "/wal/00000005.wal") == Self.segmentHeader)
    }

    @Test func samplesRecord() {
        var writer = ByteWriter()
        WALRecord.encodeSamples(Self.goldenBatch(), into: &writer)
        #expect(hex(writer.bytes) == Self.samplesRecord)
    }

    @Test func seriesRecord() {
        var writer = ByteWriter()
        WALRecord.encodeSeries([(7, "cpu{host=a}")], into: &writer)
        #expect(hex(writer.bytes) == Self.seriesRecord)
    }

    @Test func recordTypesAndFraming() {
        #expect(WALRecordType.series.rawValue == 1)
        #expect(WALRecordType.samples.rawValue == 2)
        #expect(WALRecord.headerBytes == 9)
    }

    /// The store writes exactly these records, in this order, for a series creation and a batch.
    @Test func storeWritesTheGoldenRecords() throws {
        let dir = TempDirectory()
        defer { dir.remove() }
        let store = try openStore(testOptions(dir.path))
        let ref = try store.resolve(key("golden"))
        #expect(ref.id == 0)
        var batch = SampleBatch()
        batch.append(series: ref, timestampMs: 1_700_000_000_000, value: 1.5)
        var scratch = AppendScratch()
        let sequence = try store.append(batch, scratch: &scratch)
        store.close()
        // series record for id 0 "golden{}", then one sample (0, +0, 1.5).
        let expected =
            hex(Self.segmentHeader) + "0b0000008ec1ee9401010008676f6c64656e7b7d"
        let bytes = readFile(dir.path + "/wal/00000001.wal")
        #expect(hex(Array(bytes.prefix(8 + 20))) == expected)
        let samples = Array(bytes.dropFirst(8 + 20))
        #expect(UInt64(20 + samples.count) == sequence)
        #expect(Array(samples[8...]) == [0x02, 0x01] + [0x80, 0xa0, 0xab, 0xfe, 0xf9, 0x62] + [0x00, 0x00] + [0, 0, 0, 0, 0, 0, 0xf8, 0x3f])
        #expect(Int(samples[0]) == samples.count - 9)
    }

    @Test func partitionHeaderConstants() {
        #expect(PartitionFormat.magic == Array("PHPART".utf8))
        #expect(PartitionFormat.version == 1)
        #expect(PartitionFormat.headerBytes == 24)
        #expect(PartitionFormat.pageHeaderBytes == 13)
        #expect(PartitionFormat.flagLZ4 == 1)
    }
}
