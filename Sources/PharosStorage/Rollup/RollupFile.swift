import PharosCodec
import Synchronization

/// The rollup file beside a partition (`pSTART-ID.rollup`): every series' pre-aggregates, written with the
/// partition and loaded on first use. See `Storage/FORMAT.md`, "Rollup files".
///
/// ```
/// ┌ "PHROLL" │ version u8 = 1 │ 0 ┐ per series: encoded rollups ┌ index ┐ ┌ indexOffset u64 │ crc32c u32 ┐
/// ```
/// Thread-safe: the loaded bytes and index are immutable once loaded under the lock.
final class RollupFile: Sendable {
    static let magic: [UInt8] = Array("PHROLL".utf8)
    static let version: UInt8 = 1
    let path: String
    private let loaded = Mutex<Loaded?>(nil)

    private struct Loaded: Sendable {
        var bytes: [UInt8]
        var index: [UInt32: Range<Int>]
    }

    init(path: String) {
        self.path = path
    }

    /// Writes the file atomically; `series` in id order, each with its encoded rollups.
    static func write(path: String, series: [(UInt32, [UInt8])]) throws(StorageError) {
        var out = ByteWriter()
        out.writeBytes(magic)
        out.writeUInt8(version)
        out.writeUInt8(0)
        var ranges: [(UInt32, Int, Int)] = []
        for (id, bytes) in series {
            ranges.append((id, out.count, bytes.count))
            out.writeBytes(bytes)
        }
        let indexOffset = out.count
        out.writeVarint(UInt64(ranges.count))
        for (id, offset, length) in ranges {
            out.writeVarint(UInt64(id))
            out.writeVarint(UInt64(offset))
            out.writeVarint(UInt64(length))
        }
        out.writeUInt64LE(UInt64(indexOffset))
        let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
        out.writeUInt32LE(crc)
        let bytes = out.bytes
        try FileIO.writeAtomically(path) { (file) throws(StorageError) in try file.write(bytes) }
    }

    /// The series' buckets at `intervalMs`, or nil when the file has none for it.
    func buckets(of id: UInt32, intervalMs: Int64) throws(StorageError) -> RollupBuckets? {
        let state = try load()
        guard let range = state.index[id] else { return nil }
        do {
            return try state.bytes.withUnsafeBytes { raw in
                try RollupBuilder.decode(UnsafeRawBufferPointer(rebasing: raw[range]), intervalMs: intervalMs)
            }
        } catch {
            throw StorageError(.corrupt, "rollup file \(path): series \(id) does not decode: \(error)")
        }
    }

    private func load() throws(StorageError) -> Loaded {
        if let state = loaded.withLock({ $0 }) { return state }
        let bytes = try FileIO.readAll(path)
        let headerBytes = Self.magic.count + 2
        guard bytes.count >= headerBytes + 12, bytes.prefix(6).elementsEqual(Self.magic), bytes[6] == Self.version else {
            throw StorageError(.corrupt, "rollup file \(path) has no valid header")
        }
        let body = bytes.count - 4
        let stored = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: body, as: UInt32.self)) }
        guard bytes.withUnsafeBytes({ CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<body])) }) == stored else {
            throw StorageError(.corrupt, "rollup file \(path) fails its checksum")
        }
        let indexOffset = Int(bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: body - 8, as: UInt64.self)) })
        var index: [UInt32: Range<Int>] = [:]
        do {
            try bytes.withUnsafeBytes { raw in
                guard indexOffset >= headerBytes, indexOffset <= body - 8 else { throw CodecError.corrupt("index offset") }
                var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[indexOffset..<(body - 8)]))
                for _ in 0..<(try reader.readVarint()) {
                    let id = UInt32(try reader.readVarint())
                    let offset = Int(try reader.readVarint())
                    let length = Int(try reader.readVarint())
                    guard offset >= headerBytes, offset + length <= indexOffset else { throw CodecError.corrupt("entry range") }
                    index[id] = offset..<(offset + length)
                }
            }
        } catch {
            throw StorageError(.corrupt, "rollup file \(path): index does not decode: \(error)")
        }
        let state = Loaded(bytes: bytes, index: index)
        loaded.withLock { $0 = state }
        return state
    }
}
