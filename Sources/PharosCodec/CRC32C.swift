/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum on every Pharos record and file.
///
/// Chosen over CRC-32 (zlib) for its better error detection on storage-sized records, as in Prometheus'
/// TSDB, ext4 and iSCSI. Slicing-by-8 in software: eight 1 KiB tables, 8 bytes per step. Stateless and
/// thread-safe; chain calls over pieces with `seed`:
///
/// ```swift
/// let whole = CRC32C.checksum(all)
/// let chained = CRC32C.checksum(second, seed: CRC32C.checksum(first))   // == whole
/// ```
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// Table k maps a byte to its CRC contribution k positions further on (slicing-by-8).
    static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            table[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// Returns the CRC-32C of `bytes`, continuing from `seed` (the checksum of the bytes before them, or 0).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return seed }
        return tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress.unsafelyUnwrapped
            var crc = ~seed
            var p = start
            var left = bytes.count
            while left >= 8 {
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
                let lo = UInt32(truncatingIfNeeded: word)
                let hi = UInt32(truncatingIfNeeded: word >> 32)
                crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
                left -= 8
            }
            while left > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                left -= 1
            }
            return ~crc
        }
    }

    /// Returns the CRC-32C of `bytes`, continuing from `seed`.
    public static func checksum(_ bytes: some Collection<UInt8>, seed: UInt32 = 0) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), seed: seed) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0, seed: seed) }
    }
}
