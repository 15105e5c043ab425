import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin endpoint addresses")
struct ZipkinIPTextTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("010.001.0.255", "10.1.0.255"), ("::ffff:192.168.0.1", "192.168.0.1"),
        ("::FFFF:1.2.3.4", "1.2.3.4"), ("::1.2.3.4", "1.2.3.4"), ("2001:db8::c001", "2001:db8::c001"),
        ("2001:0DB8:0:0:0:0:0:C001", "2001:db8::c001"), ("::", "::"), ("::1", "::1"), ("1::", "1::"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8::1:1:1:1:1"),  // Zipkin compresses a single zero hextet
        ("2001:0:0:1:0:0:0:0", "2001::1:0:0:0:0"),  // the first run wins when a trailing run is not preferred
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("0:0:1::", "::1:0:0:0:0:0"), ("00001::", "1::"),
    ])
    func accepted(text: String, canonical: String) throws {
        #expect(ZipkinIPText.parse(text).map(ZipkinIPText.string) == canonical)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "localhost", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7", "12345::", "::ffff:1.2.3.256", "1:2:3:4:5:ffff:1.2.3.4", "1.2.3.4:80", "fe80::1%eth0",
    ])
    func dropped(text: String) {
        #expect(ZipkinIPText.parse(text) == nil)
    }

    @Test func bytesRules() {
        func address(_ b: [UInt8]) -> ZipkinIPText.Address? { b.withUnsafeBufferPointer { ZipkinIPText.address(bytes: $0) } }
        #expect(address([10, 0, 0, 1]) == .v4(0x0A00_0001))
        #expect(address([UInt8](repeating: 0, count: 12) + [10, 0, 0, 1]) == .v4(0x0A00_0001))
        #expect(address([UInt8](repeating: 0, count: 15) + [1]) == .v6(IPv6Address(high: 0, low: 1)))
        #expect(address([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 1]) == .v6(IPv6Address(high: 0, low: 0xFFFF_0A00_0001)))
        #expect(address([1, 2, 3]) == nil)
    }

    @Test func javaStringOrder() {
        #expect(JavaStringOrder.precedes("a", "b") && JavaStringOrder.precedes("A", "a") && JavaStringOrder.precedes("ab", "abc"))
        // UTF-16 puts a supplementary character (surrogates D800…) before U+E000…U+FFFF; scalar order is the reverse
        #expect(JavaStringOrder.precedes("🙂", "\u{FFFD}") && !JavaStringOrder.precedes("\u{FFFD}", "🙂"))
        #expect(JavaStringOrder.precedes("é", "日"))
    }
}
