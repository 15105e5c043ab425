/// Whether one span's tag keys arrived strictly increasing in Java's order, judged on their raw bytes as
/// they are read.
///
/// Why: reporters write tags sorted (Zipkin's own `TreeMap`, Brave, the OpenTelemetry exporter), and
/// confirming that afterwards on the `String`s cost a retain, a release and a UTF-8 view per comparison. Raw
/// bytes order like their text only when they are valid UTF-8, so a non-ASCII key makes the answer "not known
/// in order" and `ZipkinSpanAssembly` sorts as before. Not thread-safe; part of a decoder's state.
struct ZipkinKeyOrder {
    private var last: UnsafePointer<UInt8>? = nil
    private var lastCount = 0
    /// True while every key seen since `reset()` was ASCII and greater than the one before.
    private(set) var inOrder = true

    /// Starts a new span.
    @inline(__always)
    mutating func reset() {
        last = nil
        inOrder = true
    }

    /// Notes the next key, `count` bytes at `bytes` (which must stay valid until `reset()`).
    @inline(__always)
    mutating func see(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        guard inOrder else { return }
        if !Self.isASCII(bytes, count) {
            inOrder = false
            return
        }
        if let last { inOrder = Self.asciiPrecedes(last, lastCount, bytes, count) }
        last = bytes
        lastCount = count
    }

    /// Marks the order unknown (a key that was unescaped into a temporary buffer).
    @inline(__always)
    mutating func seeUnknown() { inOrder = false }

    /// Byte order, which for ASCII is Java's `String.compareTo` order (`JavaStringOrder`), compared eight bytes
    /// at a time as big-endian words.
    @inline(__always)
    static func asciiPrecedes(_ a: UnsafePointer<UInt8>, _ m: Int, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a)
        let y = UnsafeRawPointer(b)
        let common = min(m, n)
        var i = 0
        while i + 8 <= common {
            let u = UInt64(bigEndian: x.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let v = UInt64(bigEndian: y.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if u != v { return u < v }
            i += 8
        }
        while i < common {
            if a[i] != b[i] { return a[i] < b[i] }
            i += 1
        }
        return m < n
    }

    @inline(__always)
    static func isASCII(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(bytes)
        var bits: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            bits |= UInt64(bytes[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
