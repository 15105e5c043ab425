import Logging
import PharosCodec
import PharosCore

/// Reads every segment of the log in order at start-up and hands each intact record to a handler.
///
/// A torn record at the end of the last segment (a crash mid-write) is cut off; a record whose checksum
/// fails elsewhere is skipped when its length is plausible, and the rest of that segment is dropped when it
/// is not. Both are counted and logged; neither stops the start.
struct WALReplayer {
    let layout: StorageLayout
    let logger: Logger
    let stats: WALStats

    struct Outcome {
        var segments: [UInt32]
        var records = 0
        var tornBytes: Int64 = 0
        var corruptRecords = 0
    }

    func replay(_ handle: (WALPosition, WALRecordType, inout ByteReader) throws -> Void) throws(StorageError) -> Outcome {
        try FileIO.makeDirectory(layout.walDirectory)
        let indices = try FileIO.listDirectory(layout.walDirectory).compactMap(StorageLayout.walSegmentIndex)
        var outcome = Outcome(segments: indices)
        for (position, index) in indices.enumerated() {
            let path = layout.walSegmentPath(index)
            let bytes = try FileIO.readAll(path)
            let isLast = position == indices.count - 1
            guard let validEnd = bytes.withUnsafeBytes({ raw in
                replaySegment(raw, segment: index, isLast: isLast, path: path, outcome: &outcome, handle)
            }) else {
                // Not a segment we can read: keep it aside for a person, out of the log's sequence.
                try FileIO.rename(path, path + ".corrupt")
                outcome.segments.removeAll { $0 == index }
                continue
            }
            if validEnd < bytes.count {
                let cut = Int64(bytes.count - validEnd)
                outcome.tornBytes += cut
                stats.tornRecords.add(1)
                logger.warning(
                    "cut a torn tail off a WAL segment",
                    metadata: ["segment": "\(path)", "offset": "\(validEnd)", "bytes": "\(cut)", "last": "\(isLast)"])
                let writer = try FileWriter(path: path, truncate: false)
                try writer.truncate(to: Int64(validEnd))
                writer.close()
            }
        }
        stats.replayedRecords.add(Int64(outcome.records))
        stats.corruptRecords.add(Int64(outcome.corruptRecords))
        return outcome
    }

    /// Returns the offset just past the last record that could be framed, or nil when the segment's
    /// header is not one this version reads.
    private func replaySegment(
        _ raw: UnsafeRawBufferPointer, segment: UInt32, isLast: Bool, path: String, outcome: inout Outcome,
        _ handle: (WALPosition, WALRecordType, inout ByteReader) throws -> Void
    ) -> Int? {
        let magic = WAL.magic
        // Shorter than its header and a prefix of it: a crash right after creating the file.
        if raw.count < magic.count && raw.elementsEqual(magic.prefix(raw.count)) { return 0 }
        guard raw.count >= magic.count, raw.prefix(5).elementsEqual(magic.prefix(5)) else {
            logger.error("WAL segment has no valid header; set aside as .corrupt, not replayed", metadata: ["segment": "\(path)"])
            return nil
        }
        guard raw[5] == magic[5] else {
            logger.error(
                "WAL segment has an unknown version byte; set aside as .corrupt, not replayed",
                metadata: ["segment": "\(path)", "version": "\(raw[5])"])
            return nil
        }
        var offset = magic.count
        // Records that failed their checksum since the last good one: damage if a good record follows,
        // the torn tail of a crash if they run to the end of the last segment.
        var firstFailure: Int?
        var failures = 0
        while offset + WALRecord.headerBytes <= raw.count {
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let storedCRC = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let end = offset + WALRecord.headerBytes + length
            guard end <= raw.count else { break }
            let checked = UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<end])
            guard CRC32C.checksum(checked) == storedCRC, let type = WALRecordType(rawValue: raw[offset + 8]) else {
                if firstFailure == nil { firstFailure = offset }
                failures += 1
                offset = end
                continue
            }
            if let failure = firstFailure {
                outcome.corruptRecords += failures
                logger.warning(
                    "skipped WAL records that fail their checksum",
                    metadata: ["segment": "\(path)", "offset": "\(failure)", "records": "\(failures)"])
                firstFailure = nil
                failures = 0
            }
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[(offset + WALRecord.headerBytes)..<end]))
            do {
                try handle(WALPosition(segment: segment, offset: Int64(offset)), type, &reader)
                outcome.records += 1
            } catch {
                outcome.corruptRecords += 1
                logger.warning(
                    "skipping a WAL record that does not decode",
                    metadata: ["segment": "\(path)", "offset": "\(offset)", "error": "\(error)"])
            }
            offset = end
        }
        guard let failure = firstFailure else { return offset }
        if isLast { return failure }
        outcome.corruptRecords += failures
        logger.warning("skipped WAL records that fail their checksum", metadata: ["segment": "\(path)", "offset": "\(failure)"])
        return offset
    }
}
