/// Zipkin's normalisation of span and service names: `toLowerCase(Locale.ROOT)`, empty meaning absent.
///
/// ASCII names (nearly all) are lowered byte-wise before the `String` exists, so a lower-case name costs
/// one `String` init and no second pass; other text goes through `String.lowercased()` (full Unicode
/// mapping, like Java's; Java's context-dependent final sigma is not reproduced). Pure.
enum ZipkinNames {
    /// The lower-cased name in `bytes`, or nil when empty.
    @inline(__always)
    static func lowercased(_ base: UnsafePointer<UInt8>, _ count: Int) -> String? {
        if count == 0 { return nil }
        var needsLowering = false
        var ascii = true
        for i in 0..<count {
            let b = base[i]
            if b &- 0x41 < 26 { needsLowering = true }
            if b >= 0x80 { ascii = false }
        }
        let raw = UnsafeBufferPointer(start: base, count: count)
        if !needsLowering && ascii { return String(decoding: raw, as: UTF8.self) }
        if ascii {
            return String(unsafeUninitializedCapacity: count) { out in
                for i in 0..<count {
                    let b = raw[i]
                    out[i] = b &- 0x41 < 26 ? b | 0x20 : b
                }
                return count
            }
        }
        return String(decoding: raw, as: UTF8.self).lowercased()
    }

    /// The same for an already decoded string (escaped JSON text, v1 names).
    static func lowercased(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { lowercased($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }
}
