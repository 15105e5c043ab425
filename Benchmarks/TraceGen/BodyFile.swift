import Foundation

/// A file of pre-encoded request bodies, so the load client spends nothing on encoding while it measures.
///
///     ┌──────────────────────────────── header, 32 bytes ─────────────────────────────────┐
///     │ "PTRB" │ version 1 │ format (0 JSON v2, 1 proto3) │ 0 0 │ bodies u64 │ spans u64 │ bytes u64 │
///     └────────────────────────────────────────────────────────────────────────────────────┘
///     ┌─ record ───────────────────────────────────────────┐
///     │ body length u32 │ spans in body u32 │ body bytes … │   × bodies
///     └────────────────────────────────────────────────────┘
///
/// Integers are little-endian; `bytes` is the sum of the body lengths. `BodyFile.Writer` writes one,
/// `BodyFile` maps one read-only and indexes its records.
struct BodyFile: @unchecked Sendable {  // a read-only mapping, never written after init: safe to share
    /// The encoding of every body in a file.
    enum Format: UInt8, Sendable {
        case json = 0
        case proto = 1

        /// The `Content-Type` Zipkin's collector picks the decoder by.
        var contentType: String { self == .json ? "application/json" : "application/x-protobuf" }
    }

    static let magic: [UInt8] = Array("PTRB".utf8)
    static let version: UInt8 = 1
    static let headerSize = 32

    let format: Format
    let spanCount: Int
    let byteCount: Int
    /// Start offset, length and span count of each body.
    let bodies: [(offset: Int, length: Int, spans: Int)]
    private let base: UnsafeRawPointer
    private let mappedLength: Int

    /// Maps `path` and indexes its records; throws when it is not a complete body file.
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ToolError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= Self.headerSize else {
            throw ToolError("\(path) is not a tracegen body file (too short)")
        }
        mappedLength = Int(info.st_size)
        guard let mapped = mmap(nil, mappedLength, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw ToolError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        madvise(mapped, mappedLength, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(mapped)
        let header = UnsafeRawBufferPointer(start: base, count: Self.headerSize)
        guard Array(header[0..<4]) == Self.magic, header[4] == Self.version, let format = Format(rawValue: header[5]) else {
            throw ToolError("\(path) is not a tracegen body file of version \(Self.version)")
        }
        self.format = format
        let count = Int(header.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
        spanCount = Int(header.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
        byteCount = Int(header.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        var index: [(offset: Int, length: Int, spans: Int)] = []
        index.reserveCapacity(count)
        var at = Self.headerSize
        for i in 0..<count {
            guard at + 8 <= mappedLength else { throw ToolError("\(path) is truncated at body \(i) of \(count) (offset \(at))") }
            let length = Int(base.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            let spans = Int(base.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian)
            guard at + 8 + length <= mappedLength else { throw ToolError("\(path) is truncated in body \(i) of \(count) (offset \(at))") }
            index.append((at + 8, length, spans))
            at += 8 + length
        }
        bodies = index
    }

    /// The bytes of body `i`, valid while this value lives (the mapping is never unmapped: tools map a file once).
    func body(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bodies[i].offset, count: bodies[i].length)
    }

    /// Appends records to a new file; `finish` writes the header counts. Not thread-safe.
    final class Writer {
        private let file: UnsafeMutablePointer<FILE>
        private let path: String
        private(set) var bodyCount = 0
        private(set) var spanCount = 0
        private(set) var byteCount = 0

        /// Creates (or truncates) `path` for bodies of `format`.
        init(path: String, format: Format) throws {
            guard let file = fopen(path, "wb") else { throw ToolError("cannot create \(path): \(String(cString: strerror(errno)))") }
            self.file = file
            self.path = path
            setvbuf(file, nil, _IOFBF, 1 << 20)
            try write(Self.header(format: format, bodies: 0, spans: 0, bytes: 0))
        }

        /// Appends one body of `spans` spans.
        func append(_ body: [UInt8], spans: Int) throws {
            var record: [UInt8] = []
            record.reserveCapacity(8)
            appendLittleEndian(UInt32(body.count), to: &record)
            appendLittleEndian(UInt32(spans), to: &record)
            try write(record)
            try write(body)
            bodyCount += 1
            spanCount += spans
            byteCount += body.count
        }

        /// Writes the final counts into the header and closes the file.
        func finish(format: Format) throws {
            defer { fclose(file) }
            guard fflush(file) == 0, fseek(file, 0, SEEK_SET) == 0 else {
                throw ToolError("cannot finish \(path): \(String(cString: strerror(errno)))")
            }
            try write(Self.header(format: format, bodies: bodyCount, spans: spanCount, bytes: byteCount))
            guard fflush(file) == 0 else { throw ToolError("cannot finish \(path): \(String(cString: strerror(errno)))") }
        }

        private func write(_ bytes: [UInt8]) throws {
            guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
                throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }

        private static func header(format: Format, bodies: Int, spans: Int, bytes: Int) -> [UInt8] {
            var out = BodyFile.magic + [BodyFile.version, format.rawValue, 0, 0]
            appendLittleEndian(UInt64(bodies), to: &out)
            appendLittleEndian(UInt64(spans), to: &out)
            appendLittleEndian(UInt64(bytes), to: &out)
            return out
        }
    }
}

/// Appends `value` as little-endian bytes.
func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}
