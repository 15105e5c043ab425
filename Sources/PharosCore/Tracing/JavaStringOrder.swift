/// Java's `String.compareTo` order (UTF-16 code units) for Swift strings, without transcoding.
///
/// Zipkin sorts tag keys and annotation values this way, and a byte-exact API must write them in the same
/// order. Swift's `<` orders by normalised scalars instead. UTF-8 byte order equals scalar order, which
/// equals UTF-16 order except between U+E000…U+FFFF (lead bytes EE, EF) and supplementary characters
/// (lead bytes F0…F4, surrogates D800… in UTF-16): there the order flips. Pure.
public enum JavaStringOrder {
    /// True when Java would sort `lhs` before `rhs`.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var l = lhs
        var r = rhs
        return l.withUTF8 { a in r.withUTF8 { b in precedes(a, b) } }
    }

    /// Same order for raw UTF-8 bytes.
    public static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            let x = a[i]
            let y = b[i]
            if x != y {
                let xHigh = x >= 0xF0
                let yHigh = y >= 0xF0
                if xHigh != yHigh && (x >= 0xEE) && (y >= 0xEE) {
                    return xHigh  // the supplementary character (surrogate pair) sorts first in UTF-16
                }
                return x < y
            }
            i += 1
        }
        return a.count < b.count
    }
}
