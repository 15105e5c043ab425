import PharosCore
import PharosIngest
import Testing

/// A TBinaryProtocol writer for tests, written from zipkinCore.thrift's field ids in the order
/// `V1ThriftSpanWriter` writes them; `JSON` renders the same v1 span as v1 JSON for comparison.
struct ThriftTestWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func i16(_ v: Int16) { for s in [8, 0] { bytes.append(UInt8(truncatingIfNeeded: v >> s)) } }
    mutating func i32(_ v: Int32) { for s in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: v >> s)) } }
    mutating func i64(_ v: Int64) { for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> s)) } }
    mutating func field(_ type: UInt8, _ id: Int16) { byte(type); i16(id) }
    mutating func binary(_ b: [UInt8]) { i32(Int32(b.count)); bytes += b }
    mutating func string(_ s: String) { binary(Array(s.utf8)) }
    mutating func stop() { byte(0) }
    mutating func listBegin(_ type: UInt8, _ count: Int) { byte(type); i32(Int32(count)) }

    /// One field of each Thrift type under an id no zipkinCore struct uses, nested containers included.
    mutating func unknownFields() {
        field(2, 90); byte(1)
        field(3, 91); byte(7)
        field(4, 92); i64(0x4009_21FB_5444_2D18)
        field(6, 93); i16(-2)
        field(8, 94); i32(77)
        field(10, 95); i64(-1)
        field(11, 96); string("ignored")
        field(12, 97); field(11, 1); string("nested"); field(15, 2); listBegin(8, 2); i32(1); i32(2); stop()
        field(13, 98); byte(11); byte(15); i32(1); string("k"); listBegin(10, 1); i64(5)
        field(14, 99); listBegin(12, 2); field(8, 1); i32(3); stop(); stop()
        field(15, 100); listBegin(15, 1); listBegin(11, 2); string("a"); string("b")
        field(8, 3); i32(1)  // a known id (3 = name) with the wrong type: skipped
    }
}

/// Test-side v1 model, written both as Thrift and as v1 JSON.
struct V1TestEndpoint {
    var service: String?
    var ipv4: UInt32 = 0
    var port: UInt16 = 0
    var ipv6: [UInt8]? = nil
}

struct V1TestSpan {
    struct Note { var ts: Int64; var value: String; var host: V1TestEndpoint? }
    struct Binary { var key: String; var value: [UInt8]; var type: Int32; var host: V1TestEndpoint? }

    var traceIdHigh: UInt64 = 0
    var traceId: UInt64
    var name: String?
    var id: UInt64
    var parentId: UInt64 = 0
    var notes: [Note] = []
    var binaries: [Binary] = []
    var debug: Bool? = nil
    var timestamp: Int64 = 0
    var duration: Int64 = 0

    static func thrift(_ spans: [V1TestSpan], unknown: Bool = false) -> [UInt8] {
        var w = ThriftTestWriter()
        w.listBegin(12, spans.count)
        for s in spans { s.write(&w, unknown: unknown) }
        return w.bytes
    }

    func write(_ w: inout ThriftTestWriter, unknown: Bool) {
        if unknown { w.unknownFields() }
        w.field(10, 1); w.i64(Int64(bitPattern: traceId))
        if let name { w.field(11, 3); w.string(name) }
        w.field(10, 4); w.i64(Int64(bitPattern: id))
        if parentId != 0 { w.field(10, 5); w.i64(Int64(bitPattern: parentId)) }
        w.field(15, 6); w.listBegin(12, notes.count)
        for n in notes {
            if unknown { w.unknownFields() }
            w.field(10, 1); w.i64(n.ts)
            w.field(11, 2); w.string(n.value)
            if let h = n.host { w.field(12, 3); Self.write(h, &w, unknown: unknown) }
            w.stop()
        }
        w.field(15, 8); w.listBegin(12, binaries.count)
        for b in binaries {
            w.field(11, 1); w.string(b.key)
            w.field(11, 2); w.binary(b.value)
            if unknown { w.unknownFields() }
            w.field(8, 3); w.i32(b.type)
            if let h = b.host { w.field(12, 4); Self.write(h, &w, unknown: unknown) }
            w.stop()
        }
        if let debug { w.field(2, 9); w.byte(debug ? 1 : 0) }
        if timestamp != 0 { w.field(10, 10); w.i64(timestamp) }
        if duration != 0 { w.field(10, 11); w.i64(duration) }
        if traceIdHigh != 0 { w.field(10, 12); w.i64(Int64(bitPattern: traceIdHigh)) }
        w.stop()
    }

    static func write(_ e: V1TestEndpoint, _ w: inout ThriftTestWriter, unknown: Bool) {
        w.field(8, 1); w.i32(Int32(bitPattern: e.ipv4))
        w.field(6, 2); w.i16(Int16(bitPattern: e.port))
        if unknown { w.unknownFields() }
        w.field(11, 3); w.string(e.service ?? "")  // the writer always sends a name, "" when unknown
        if let v6 = e.ipv6 { w.field(11, 4); w.binary(v6) }
        w.stop()
    }

    static func json(_ spans: [V1TestSpan]) -> String { "[" + spans.map(\.json).joined(separator: ",") + "]" }

    var json: String {
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        var m = [#""traceId":"\#(traceIdHigh != 0 ? hex(traceIdHigh) : "")\#(hex(traceId))""#, #""id":"\#(hex(id))""#]
        if let name { m.append(#""name":\#(Self.quoted(name))"#) }
        if parentId != 0 { m.append(#""parentId":"\#(hex(parentId))""#) }
        if timestamp != 0 { m.append(#""timestamp":\#(timestamp)"#) }
        if duration != 0 { m.append(#""duration":\#(duration)"#) }
        let notesJSON = notes.map { n in
            #"{"timestamp":\#(n.ts),"value":\#(Self.quoted(n.value))"# + (n.host.map { #","endpoint":"# + Self.json($0) } ?? "") + "}"
        }
        m.append(#""annotations":["# + notesJSON.joined(separator: ",") + "]")
        let binariesJSON = binaries.compactMap { b -> String? in
            let value: String
            switch b.type {
            case 6: value = Self.quoted(String(decoding: b.value, as: UTF8.self))
            case 0: value = b.value == [1] ? "true" : "false"
            default: return nil  // BYTES and numbers: dropped by both readers
            }
            return #"{"key":\#(Self.quoted(b.key)),"value":\#(value)"# + (b.host.map { #","endpoint":"# + Self.json($0) } ?? "") + "}"
        }
        m.append(#""binaryAnnotations":["# + binariesJSON.joined(separator: ",") + "]")
        if let debug { m.append(#""debug":\#(debug)"#) }
        return "{" + m.joined(separator: ",") + "}"
    }

    static func json(_ e: V1TestEndpoint) -> String {
        var m: [String] = []
        if let s = e.service { m.append(#""serviceName":\#(quoted(s))"#) }
        if e.ipv4 != 0 { m.append(#""ipv4":"\#([24, 16, 8, 0].map { String(e.ipv4 >> $0 & 0xFF) }.joined(separator: "."))""#) }
        if e.port != 0 { m.append(#""port":\#(e.port)"#) }
        if let v6 = e.ipv6 {
            let hextets = stride(from: 0, to: 16, by: 2).map { String(UInt16(v6[$0]) << 8 | UInt16(v6[$0 + 1]), radix: 16) }
            m.append(#""ipv6":"\#(hextets.joined(separator: ":"))""#)
        }
        return "{" + m.joined(separator: ",") + "}"
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.map { $0 == "\"" || $0 == "\\" ? "\\\($0)" : "\($0)" }.joined() + "\""
    }
}

@Suite("Zipkin Thrift v1 decoder")
struct ZipkinThriftV1DecoderTests {
    static let frontend = V1TestEndpoint(service: "Frontend", ipv4: 0x7F00_0001, port: 8080)
    static let backend = V1TestEndpoint(service: "backend", ipv4: 0xC0A8_6365, port: 9000)
    static let v6Host = V1TestEndpoint(service: "db", port: 5432, ipv6: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])

    /// One v1 span carrying both sides of an RPC, as Finagle and Brave 3 report it.
    static let rpc = V1TestSpan(
        traceIdHigh: 0x4848_5a39_53bb_6124, traceId: 0x6b22_1d5b_c9e6_496c, name: "GET /api", id: 0x6b22_1d5b_c9e6_496c,
        parentId: 0x1, notes: [
            .init(ts: 100, value: "cs", host: frontend), .init(ts: 110, value: "sr", host: backend),
            .init(ts: 140, value: "ss", host: backend), .init(ts: 150, value: "cr", host: frontend),
            .init(ts: 120, value: "retry", host: backend),
        ],
        binaries: [
            .init(key: "http.path", value: Array("/api".utf8), type: 6, host: backend),
            .init(key: "ca", value: [1], type: 0, host: frontend), .init(key: "sa", value: [1], type: 0, host: backend),
            .init(key: "lc", value: [], type: 6, host: frontend),
        ],
        debug: true, timestamp: 100, duration: 50)

    /// The same RPC reported as two v1 spans with one id (client side, then server side).
    static let splitRPC = [
        V1TestSpan(
            traceId: 0x86154a4ba6e91385, name: "get", id: 0x4d1e00c0db9010db,
            notes: [.init(ts: 1_000, value: "cs", host: frontend), .init(ts: 1_900, value: "cr", host: frontend)],
            binaries: [.init(key: "sa", value: [1], type: 0, host: backend)], timestamp: 1_000, duration: 900),
        V1TestSpan(
            traceId: 0x86154a4ba6e91385, name: "get", id: 0x4d1e00c0db9010db,
            notes: [.init(ts: 1_100, value: "sr", host: backend), .init(ts: 1_800, value: "ss", host: backend)],
            binaries: [
                .init(key: "ca", value: [1], type: 0, host: frontend),
                .init(key: "error", value: Array("boom".utf8), type: 6, host: backend),
            ]),
    ]

    /// Messaging with an IPv6 broker address, and every binary annotation type.
    static let messaging = V1TestSpan(
        traceId: 0xa, name: "send", id: 0xb,
        notes: [.init(ts: 10, value: "ms", host: frontend), .init(ts: 30, value: "mr", host: backend)],
        binaries: [
            .init(key: "ma", value: [1], type: 0, host: v6Host),
            .init(key: "flag", value: [1], type: 0, host: frontend),  // BOOL, not an address key: dropped
            .init(key: "raw", value: [0xDE, 0xAD], type: 1, host: frontend),  // BYTES: dropped
            .init(key: "i16", value: [0, 1], type: 2, host: frontend),
            .init(key: "i32", value: [0, 0, 0, 1], type: 3, host: frontend),
            .init(key: "i64", value: Array(repeating: 1, count: 8), type: 4, host: frontend),
            .init(key: "double", value: Array(repeating: 0x40, count: 8), type: 5, host: frontend),
            .init(key: "topic", value: Array("orders".utf8), type: 6, host: frontend),
        ])

    func thrift(_ body: [UInt8]) throws(ZipkinDecodingError) -> [Span] { try ZipkinThriftV1Decoder.decode(body) }

    func thriftError(_ body: [UInt8]) -> String? {
        do {
            _ = try thrift(body)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func clientAndServerInOneV1SpanBecomeTwoSpans() throws {
        let spans = try thrift(V1TestSpan.thrift([Self.rpc]))
        try #require(spans.count == 2)
        let client = spans[0]
        let server = spans[1]
        #expect(client.traceIdHex == "48485a3953bb61246b221d5bc9e6496c" && client.traceIdIs128Bit)
        #expect(client.id == 0x6b22_1d5b_c9e6_496c && client.parentId == 1 && client.name == "get /api" && client.debug)
        #expect(client.kind == .client && client.timestampUs == 100 && client.durationUs == 50 && !client.shared)
        #expect(client.localEndpoint == Endpoint(serviceName: "frontend", ipv4: 0x7F00_0001, port: 8080))
        #expect(client.remoteEndpoint == Endpoint(serviceName: "backend", ipv4: 0xC0A8_6365, port: 9000))
        #expect(client.annotations.isEmpty && client.tags.isEmpty)
        #expect(server.kind == .server && server.shared && server.timestampUs == 110 && server.durationUs == 30)
        #expect(server.localEndpoint?.serviceName == "backend" && server.remoteEndpoint?.serviceName == "frontend")
        #expect(server.annotations == [SpanAnnotation(timestampUs: 120, value: "retry")])
        #expect(server.tags == [SpanTag(key: "http.path", value: "/api")])
    }

    @Test func splitRPCJoinsOnId() throws {
        let spans = try thrift(V1TestSpan.thrift(Self.splitRPC))
        try #require(spans.count == 2)
        #expect(spans[0].kind == .client && spans[0].timestampUs == 1_000 && spans[0].durationUs == 900)
        #expect(spans[0].remoteEndpoint?.serviceName == "backend")
        #expect(spans[1].kind == .server && spans[1].shared && spans[1].timestampUs == 1_100 && spans[1].durationUs == 700)
        #expect(spans[1].remoteEndpoint?.serviceName == "frontend" && spans[1].tags == [SpanTag(key: "error", value: "boom")])
    }

    @Test func binaryAnnotationTypes() throws {
        let spans = try thrift(V1TestSpan.thrift([Self.messaging]))
        try #require(spans.count == 2)
        #expect(spans[0].kind == .producer && spans[0].tags == [SpanTag(key: "topic", value: "orders")])
        let broker = Endpoint(serviceName: "db", ipv6: IPv6Address(high: 0x2001_0db8_0000_0000, low: 1), port: 5432)
        #expect(spans[0].remoteEndpoint == broker && spans[1].remoteEndpoint == broker)
        #expect(spans[1].kind == .consumer && spans[1].shared && spans[1].tags.isEmpty)
    }

    @Test(arguments: [false, true])
    func sameSpansAsJSONV1(unknownFields: Bool) throws {
        let bodies = [[Self.rpc], Self.splitRPC, [Self.messaging], [Self.rpc, Self.messaging] + Self.splitRPC]
        for v1 in bodies {
            let fromThrift = try thrift(V1TestSpan.thrift(v1, unknown: unknownFields))
            let fromJSON = try ZipkinJSONV1Decoder.decode(Array(V1TestSpan.json(v1).utf8))
            #expect(fromThrift == fromJSON)
            #expect(!fromThrift.isEmpty)
        }
    }

    /// `decodeSpan` over `body`: the spans, or the error message.
    func single(_ body: [UInt8]) -> Result<[Span], ZipkinDecodingError> {
        var spans: [Span] = []
        var failure: ZipkinDecodingError? = nil
        body.withUnsafeBytes { raw in
            do throws(ZipkinDecodingError) { try ZipkinThriftV1Decoder.decodeSpan(raw, into: &spans) } catch { failure = error }
        }
        return failure.map { .failure($0) } ?? .success(spans)
    }

    @Test func singleStructForm() throws {
        var w = ThriftTestWriter()
        Self.messaging.write(&w, unknown: false)
        #expect(try single(w.bytes).get() == (try thrift(V1TestSpan.thrift([Self.messaging]))))
        #expect(try single([]).get().isEmpty)
        let truncated = ZipkinDecodingError(
            message: "Truncated: length 8 > bytes available 0 reading Span from TBinary", spanIndex: 0, byteOffset: 3)
        #expect(throws: truncated) { try single([10, 0, 1]).get() }
    }

    @Test func emptyAndNonPositiveCounts() throws {
        #expect(try thrift([]).isEmpty)
        #expect(try thrift([12, 0, 0, 0, 0]).isEmpty)
        #expect(try thrift([12, 0xFF, 0xFF, 0xFF, 0xFF, 0xAA]).isEmpty)  // count -1: Java's loop runs zero times
        // trailing bytes after the last span are ignored, as Zipkin does
        #expect(try thrift(V1TestSpan.thrift([Self.rpc]) + [1, 2, 3]).count == 2)
    }

    @Test func droppedAnnotationsAndDebugByte() throws {
        var w = ThriftTestWriter()
        w.listBegin(12, 1)
        w.field(10, 1); w.i64(1); w.field(10, 4); w.i64(2)
        w.field(15, 6); w.listBegin(12, 3)
        w.field(11, 2); w.string("no timestamp"); w.stop()
        w.field(10, 1); w.i64(0); w.field(11, 2); w.string("zero"); w.stop()
        w.field(10, 1); w.i64(5); w.field(11, 2); w.string(""); w.stop()  // an empty value is kept
        w.field(15, 8); w.listBegin(12, 4)
        w.field(11, 2); w.string("no key"); w.field(8, 3); w.i32(6); w.stop()
        w.field(11, 1); w.string("no value"); w.field(8, 3); w.i32(6); w.stop()
        w.field(11, 1); w.string("sa"); w.field(11, 2); w.binary([1]); w.field(8, 3); w.i32(0); w.stop()  // no host
        w.field(11, 1); w.string("ca"); w.field(11, 2); w.binary([0]); w.field(8, 3); w.i32(0)
        w.field(12, 4); V1TestSpan.write(Self.frontend, &w, unknown: false); w.stop()  // false
        w.field(2, 9); w.byte(2)  // only 1 is true
        w.field(11, 3); w.string("")  // an empty name is no name
        w.stop()
        let spans = try thrift(w.bytes)
        #expect(spans == [Span(traceIdLow: 1, id: 2, annotations: [SpanAnnotation(timestampUs: 5, value: "")])])
    }

    @Test func endpointFields() throws {
        var w = ThriftTestWriter()
        w.listBegin(12, 1)
        w.field(10, 1); w.i64(1); w.field(10, 4); w.i64(2)
        w.field(15, 6); w.listBegin(12, 2)
        w.field(10, 1); w.i64(7); w.field(11, 2); w.string("a")
        w.field(12, 3); w.field(8, 1); w.i32(0); w.field(6, 2); w.i16(-1); w.stop(); w.stop()  // port 65535, no ipv4
        w.field(10, 1); w.i64(8); w.field(11, 2); w.string("b")
        w.field(12, 3); w.field(8, 1); w.i32(0); w.field(6, 2); w.i16(0); w.field(11, 3); w.string(""); w.stop(); w.stop()  // empty
        w.stop()
        let spans = try thrift(w.bytes)
        try #require(spans.count == 1)
        #expect(spans[0].localEndpoint == Endpoint(port: 65535))
        #expect(spans[0].annotations.map(\.value) == ["a", "b"])
    }

    @Test(arguments: [
        // list header cut short
        ([12, 0, 0], "Truncated: length 4 > bytes available 2"),
        // a span struct cut at its first field
        ([12, 0, 0, 0, 1, 10, 0, 1, 0, 0], "Truncated: length 8 > bytes available 2"),
        ([12, 0, 0, 0, 2], "Truncated: length 1 > bytes available 0"),
        // trace_id sent as an i32: skipped by type, so the span has no trace id
        ([12, 0, 0, 0, 1, 8, 0, 1, 0, 0, 0, 5, 10, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9, 0], "traceId == 0"),
        ([12, 0, 0, 0, 1, 10, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0], "id == 0"),
        // name with a length larger than the body, and a negative one
        ([12, 0, 0, 0, 1, 11, 0, 3, 0x7F, 0xFF, 0xFF, 0xFF, 0x61], "Truncated: length 2147483647 > bytes available 1"),
        ([12, 0, 0, 0, 1, 11, 0, 3, 0xFF, 0xFF, 0xFF, 0xFE, 0x61], "Malformed"),
        // an unknown list<i64> of 2^31-1 elements: skipped to the end at once, then the next field is missing
        ([12, 0, 0, 0, 1, 15, 0, 50, 10, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3], "Truncated: length 1 > bytes available 0"),
        // annotations list claiming 2^31-1 structs
        ([12, 0, 0, 0, 1, 15, 0, 6, 12, 0x7F, 0xFF, 0xFF, 0xFF, 0], "Truncated: length 1 > bytes available 0"),
    ] as [([UInt8], String)])
    func errorMessages(body: [UInt8], cause: String) {
        #expect(thriftError(body) == cause + " reading List<Span> from TBinary")
    }

    @Test func errorsCarryTheSpanIndex() throws {
        var body = V1TestSpan.thrift([Self.rpc, Self.messaging])
        body.removeLast()
        do {
            _ = try thrift(body)
            Issue.record("decoded a truncated body")
        } catch {
            #expect(error.spanIndex == 1 && error.byteOffset == body.count && error.status == 400)
        }
        #expect(throws: ZipkinDecodingError.self) { try thrift([12, 0]) }
    }

    @Test func deepNestingIsMalformedNotAStackOverflow() {
        var w = ThriftTestWriter()
        w.listBegin(12, 1)
        w.field(15, 77)
        for _ in 0..<10_000 { w.listBegin(15, 1) }
        #expect(thriftError(w.bytes) == "Malformed reading List<Span> from TBinary")
        var s = ThriftTestWriter()
        s.listBegin(12, 1)
        for _ in 0..<10_000 { s.field(12, 1) }
        #expect(thriftError(s.bytes) == "Malformed reading List<Span> from TBinary")
    }

    @Test func everyPrefixThrows() {
        let body = V1TestSpan.thrift([Self.rpc, Self.messaging], unknown: true)
        for n in 1..<body.count {
            let message = thriftError(Array(body[..<n]))
            #expect(message?.hasSuffix(" reading List<Span> from TBinary") == true, "prefix \(n)")
        }
    }

    @Test func mutatedBodiesOnlyDecodeOrThrow() {
        var rng = SplitMix64(seed: 11)
        let body = V1TestSpan.thrift([Self.rpc, Self.messaging] + Self.splitRPC, unknown: true)
        let interesting: [UInt8] = [0, 1, 2, 3, 4, 6, 8, 10, 11, 12, 13, 14, 15, 0x7F, 0x80, 0xFF]
        var decoded = 0
        var failed = 0
        for _ in 0..<2000 {
            var m = body
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<m.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: m[i] = interesting.randomElement(using: &rng)!
                case 1: m[i] = UInt8.random(in: 0...255, using: &rng)
                case 2: m.remove(at: i)
                default: m.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            do {
                _ = try thrift(m)
                decoded += 1
            } catch {
                #expect(error.message.hasSuffix(" reading List<Span> from TBinary") && error.byteOffset <= m.count)
                failed += 1
            }
        }
        #expect(decoded + failed == 2000 && failed > 1000)
    }
}
