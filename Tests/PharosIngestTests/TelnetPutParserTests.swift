import PharosCore
import PharosIngest
import Testing

@Suite struct TelnetPutParserTests {
    static let errors: [(String, String)] = [
        ("put", "put: illegal argument: not enough arguments (need least 4, got 0)"),
        ("put m 1", "put: illegal argument: not enough arguments (need least 4, got 2)"),
        ("put m 1 1", "put: illegal argument: not enough arguments (need least 4, got 3)"),
        ("put  1 1 k=v", "put: illegal argument: empty metric name"),
        ("put m notatime 1 k=v", "put: invalid value: Invalid character 'n' in notatime"),
        ("put m  1 k=v", "put: invalid value: Empty string"),
        ("put m . 1 k=v", "put: invalid value: Empty string"),
        ("put m - 1 k=v", "put: invalid value: Just a sign, no value: -"),
        ("put m 12345678901234567890 1 k=v", "put: invalid value: Value too long: 12345678901234567890"),
        ("put m 9223372036854775808 1 k=v", "put: invalid value: Overflow in 9223372036854775808"),
        ("put m 9999999999999999999 1 k=v", "put: invalid value: Overflow in 9999999999999999999"),
        ("put m 12.x4 1 k=v", "put: invalid value: Invalid character 'x' in 12x4"),
        ("put m -5 1 k=v", "put: illegal argument: invalid timestamp: -5"),
        ("put m 0 1 k=v", "put: illegal argument: invalid timestamp: 0"),
        ("put m 1 NaN k=v", "put: invalid value: Invalid character 'N' in NaN"),
        ("put m 1 nan k=v", "put: invalid value: Invalid character 'n' in nan"),
        ("put m 1 Infinity k=v", "put: invalid value: Invalid character 'I' in Infinity"),
        ("put m 1 -Infinity k=v", "put: invalid value: Invalid character 'I' in -Infinity"),
        ("put m 1 abc k=v", "put: invalid value: Invalid character 'a' in abc"),
        ("put m 1 1.2.3 k=v", "put: invalid value: For input string: \"1.2.3\""),
        ("put m 1 1e k=v", "put: invalid value: For input string: \"1e\""),
        ("put m 1 . k=v", "put: invalid value: For input string: \".\""),
        ("put m 1 12345678901234567890 k=v", "put: invalid value: Value too long: 12345678901234567890"),
        ("put m 1 9223372036854775808 k=v", "put: invalid value: Overflow in 9223372036854775808"),
        ("put m 1 1e400 k=v", "put: illegal argument: value is NaN or Infinite: Infinity for metric=m timestamp=1"),
        ("put m 1 -1e400 k=v", "put: illegal argument: value is NaN or Infinite: -Infinity for metric=m timestamp=1"),
        ("put m 1 1 host", "put: illegal argument: invalid tag: host"),
        ("put m 1 1 host=", "put: illegal argument: invalid tag: host="),
        ("put m 1 1 =a", "put: illegal argument: invalid tag: =a"),
        ("put m 1 1 a=b=c", "put: illegal argument: invalid tag: a=b=c"),
        ("put m 1 1 host=a host=b", "put: illegal argument: duplicate tag: host=b, tags={host=a}"),
        ("put m 1 x host", "put: illegal argument: invalid tag: host"),
        ("put m 1 1 ", "put: illegal argument: Need at least one tag (metric=m, tags={})"),
        ("put m 1 1  ", "put: illegal argument: Need at least one tag (metric=m, tags={})"),
        ("put a.b!c 1 1 k=v", "put: illegal argument: Invalid metric name (\"a.b!c\"): illegal character: !"),
        ("put m 1 1 k!=v", "put: illegal argument: Invalid tag name with value [v] (\"k!\"): illegal character: !"),
        ("put m 1 1 k=v!", "put: illegal argument: Invalid tag value with key [k] (\"v!\"): illegal character: !"),
        ("put m 1 1 k=v\r", "put: illegal argument: Invalid tag value with key [k] (\"v\r\"): illegal character: \r"),
        ("put m 1 1 k=€", "put: illegal argument: Invalid tag value with key [k] (\"€\"): illegal character: €"),
        ("put m 4294967296 1 k=v",
         "put: illegal argument: bad timestamp=4294967296 when trying to add value=[1]/0 to metric=m, tags={k=v}"),
        ("put m 10000000000000 1.5 k=v",
         "put: illegal argument: bad timestamp=10000000000000 when trying to add value=[63, -64, 0, 0]/11 to metric=m, tags={k=v}"),
        ("put m 10000000000000 300 k=v",
         "put: illegal argument: bad timestamp=10000000000000 when trying to add value=[1, 44]/1 to metric=m, tags={k=v}"),
        ("put m 10000000000000 0.1 k=v",
         "put: illegal argument: bad timestamp=10000000000000 when trying to add value=[63, -71, -103, -103, -103, -103, -103, -102]/15 to metric=m, tags={k=v}"),
        ("put m 1364410924.5 1 k=v",
         "put: illegal argument: bad timestamp=13644109245 when trying to add value=[1]/0 to metric=m, tags={k=v}"),
        ("get m 1 1 k=v", "unknown command: get.  Try `help'."),
        ("", "unknown command: .  Try `help'."),
        ("put m 1 1 a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9",
         "put: illegal argument: Too many tags: 9 maximum allowed: 8, tags: {a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9}"),
        // Value errors come before tag-count and charset errors, tag syntax errors before value errors.
        ("put m! 1 abc k=v", "put: invalid value: Invalid character 'a' in abc"),
        ("put m 1 abc k", "put: illegal argument: invalid tag: k"),
        ("put m! 1 1 ", "put: illegal argument: Need at least one tag (metric=m!, tags={})"),
    ]

    @Test(arguments: errors)
    func errorLines(line: String, expected: String) {
        #expect(telnetError(line) == expected)
    }

    @Test func tooManyTagsUsesJavaHashMapOrder() {
        let line = "put m 1 1 host=a dc=b rack=c zone=d env=e app=f svc=g pod=h node=i"
        #expect(
            telnetError(line)
                == "put: illegal argument: Too many tags: 9 maximum allowed: 8, tags: {app=f, svc=g, node=i, rack=c, pod=h, zone=d, host=a, env=e, dc=b}"
        )
    }

    @Test func customTagLimit() {
        #expect(
            telnetError("put m 1 1 a=1 b=2 c=3", maxTags: 2)
                == "put: illegal argument: Too many tags: 3 maximum allowed: 2, tags: {a=1, b=2, c=3}")
    }

    static let points: [(String, String, Int64, Double)] = [
        ("put sys.cpu 1364410924 42 host=web01", "sys.cpu{host=web01}", 1_364_410_924_000, 42),
        ("put m 4294967295 1 k=v", "m{k=v}", 4_294_967_295_000, 1),
        ("put m 1000000000000 1 k=v", "m{k=v}", 1_000_000_000_000, 1),
        ("put m 9999999999999 1 k=v", "m{k=v}", 9_999_999_999_999, 1),
        ("put m 1364410924.250 1 k=v", "m{k=v}", 1_364_410_924_250, 1),
        ("put m +5 1 k=v", "m{k=v}", 5000, 1),
        ("put m 1 -0 k=v", "m{k=v}", 1000, 0),
        ("put m 1 1e3 k=v", "m{k=v}", 1000, 1000),
        ("put m 1 1. k=v", "m{k=v}", 1000, 1),
        ("put m 1 .5 k=v", "m{k=v}", 1000, 0.5),
        ("put m 1 0.53 k=v", "m{k=v}", 1000, 0.53),
        ("put m 1 1.5f k=v", "m{k=v}", 1000, 1.5),
        ("put m 1 0x1.8p1 k=v", "m{k=v}", 1000, 3),
        ("put m 1 -9223372036854775808 k=v", "m{k=v}", 1000, Double(Int64.min)),
        ("put m 1 9223372036854775807 k=v", "m{k=v}", 1000, Double(Int64.max)),
        ("put m 1 1234567890123456789 k=v", "m{k=v}", 1000, Double(1_234_567_890_123_456_789 as Int64)),
        ("put m 1 3.4028236e38 k=v", "m{k=v}", 1000, 3.4028236e38),
        ("put m 1 1e-400 k=v", "m{k=v}", 1000, 0),
        ("put m 1 0.1000000000000000055511151231257827 k=v", "m{k=v}", 1000, 0.1),
        ("put m 1 1 b=2 a=1", "m{a=1,b=2}", 1000, 1),
        ("put m 1 1 host=a host=a", "m{host=a}", 1000, 1),
        ("put m 1 1 a=1  b=2 ", "m{a=1,b=2}", 1000, 1),
        ("put m 1 1 a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8", "m{a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8}", 1000, 1),
        ("put métrique.çà 1 1 hôte=Ωμέγα", "métrique.çà{hôte=Ωμέγα}", 1000, 1),
        ("put 指标 1 1 主机=一", "指标{主机=一}", 1000, 1),
        ("put a-b_c.d/e 1 1 k=v", "a-b_c.d/e{k=v}", 1000, 1),
    ]

    @Test(arguments: points)
    func validLines(line: String, series: String, timestampMs: Int64, value: Double) throws {
        let (key, dataPoint) = try #require(point(line))
        #expect(key.description == series)
        #expect(dataPoint.timestampMs == timestampMs)
        #expect(dataPoint.value.bitPattern == value.bitPattern)
    }

    @Test func integersAbove2To53AreRounded() throws {
        let (_, p) = try #require(point("put m 1 9007199254740993 k=v"))
        #expect(p.value == 9_007_199_254_740_992)
    }

    @Test func invalidUTF8IsNamed() {
        var bytes = Array("put m".utf8)
        bytes.append(0xFF)
        bytes += Array(" 1 1 k=v".utf8)
        guard case .failure(let error) = strictBytes(bytes) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.telnetLine == "put: illegal argument: Invalid metric name (\"m\u{FFFD}\"): illegal character: \u{FFFD} (invalid UTF-8)")
        var truncated = Array("put m 1 1 k=".utf8)
        truncated += [0xE2, 0x82]
        guard case .failure(let error2) = strictBytes(truncated) else {
            Issue.record("expected an error")
            return
        }
        #expect(error2.message.hasSuffix("illegal character: \u{FFFD} (invalid UTF-8)"))
    }

    @Test func supplementaryLettersAreIllegalLikeJava() {
        #expect(telnetError("put m 1 1 k=𠀀") == "put: illegal argument: Invalid tag value with key [k] (\"𠀀\"): illegal character: 𠀀")
    }

    @Test func fastPathBasics() throws {
        let line = "put sys.cpu.user 1364410924 0.53 host=web01 dc=lga"
        let raw = try #require(fast(line))
        let bytes = Array(line.utf8)
        #expect(String(decoding: bytes[raw.metric], as: UTF8.self) == "sys.cpu.user")
        #expect(String(decoding: bytes[raw.tags], as: UTF8.self) == "host=web01 dc=lga")
        #expect(raw.timestampMs == 1_364_410_924_000)
        #expect(raw.value == 0.53)
        #expect(DataPoint(raw) == DataPoint(timestampMs: 1_364_410_924_000, value: 0.53))
    }

    @Test(arguments: [
        "", "put", "put m 1 1", "put m 1 1 ", "put m 1.5 1 k=v", "put m 1 1e3 k=v", "put m 1 NaN k=v", "put m 0 1 k=v",
        "put m 4294967296 1 k=v", "put m 1 12345678901234567890 k=v", "PUT m 1 1 k=v", "put  m 1 1 k=v", "put m 1 1  k=v",
    ])
    func fastPathDeclines(line: String) {
        #expect(fast(line) == nil)
    }

    /// The fast path leaves the metric and tags to the strict path (the server trusts them only from its
    /// cache of lines that passed it): these lines split fine, and strict parsing decides.
    @Test(arguments: [
        ("put m 1 1 k=v k=v", nil),
        ("put m 1 1 k=v  a=b", nil),
        ("put m! 1 1 k=v", "put: illegal argument: Invalid metric name (\"m!\"): illegal character: !"),
        ("put m 1 1 a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9", "put: illegal argument: Too many tags: 9 maximum allowed: 8, tags: {a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9}"),
    ] as [(String, String?)])
    func fastPathLeavesSeriesChecksToTheStrictPath(line: String, error: String?) throws {
        let raw = try #require(fast(line))
        #expect(raw.timestampMs == 1000 && raw.value == 1)
        #expect(telnetError(line) == error)
    }
}
