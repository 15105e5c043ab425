/// The 16 bytes of an IPv6 address, big-endian in two words so an endpoint stays inline and hashable.
public struct IPv6Address: Sendable, Hashable {
    /// Bytes 0–7 (the first four hextets).
    public var high: UInt64
    /// Bytes 8–15 (the last four hextets).
    public var low: UInt64

    /// The address whose bytes 0–7 are `high` and 8–15 are `low`, both big-endian.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The address from exactly 16 network-order bytes.
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "BUG: an IPv6 address has 16 bytes")
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// Hextet `i` (0…7) as a number.
    public func hextet(_ i: Int) -> UInt16 {
        let word = i < 4 ? high : low
        return UInt16(truncatingIfNeeded: word >> UInt64((3 - (i & 3)) * 16))
    }

    /// The 16 bytes in network order.
    public var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> UInt64((7 - (i & 7)) * 8)) }
    }
}
