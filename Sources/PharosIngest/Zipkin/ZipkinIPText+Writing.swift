public import PharosCore

extension ZipkinIPText {
    /// Appends `a.b.c.d`.
    public static func appendIPv4(_ v: UInt32, to out: inout [UInt8]) {
        for shift in [24, 16, 8, 0] as [UInt32] {
            let octet = UInt8(truncatingIfNeeded: v >> shift)
            if shift != 24 { out.append(0x2E) }
            if octet >= 100 { out.append(0x30 + octet / 100) }
            if octet >= 10 { out.append(0x30 + octet / 10 % 10) }
            out.append(0x30 + octet % 10)
        }
    }

    /// Appends the IPv6 text exactly as Zipkin's `Endpoint.writeIpV6` writes it.
    public static func appendIPv6(_ a: IPv6Address, to out: inout [UInt8]) {
        var compressIndex = -1
        var compressLength = -1
        var zeroIndex = -1
        var allZeros = true
        for i in 0..<8 {
            if a.hextet(i) == 0 {
                if zeroIndex < 0 { zeroIndex = i }
                continue
            }
            allZeros = false
            if zeroIndex >= 0 {
                if i - zeroIndex > compressLength {
                    compressIndex = zeroIndex
                    compressLength = i - zeroIndex
                }
                zeroIndex = -1
            }
        }
        if allZeros {
            out.append(0x3A)
            out.append(0x3A)
            return
        }
        if compressIndex == -1 && zeroIndex != -1 {
            compressIndex = zeroIndex
            compressLength = 8 - zeroIndex
        }
        let digits: StaticString = "0123456789abcdef"
        var i = 0
        while i < 8 {
            if i == compressIndex {
                out.append(0x3A)
                i += compressLength
                if i == 8 { out.append(0x3A) }
                continue
            }
            if i != 0 { out.append(0x3A) }
            let h = a.hextet(i)
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let nibble = Int(h >> UInt16(shift) & 0xF)
                if nibble != 0 || started || shift == 0 {
                    out.append(digits.utf8Start[nibble])
                    started = true
                }
            }
            i += 1
        }
    }

    /// The address as Zipkin's JSON shows it.
    public static func string(_ address: Address) -> String {
        var out: [UInt8] = []
        switch address {
        case .v4(let v): appendIPv4(v, to: &out)
        case .v6(let a): appendIPv6(a, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
