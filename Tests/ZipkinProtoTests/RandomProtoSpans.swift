import Foundation
import PharosCore
import ZipkinProto

/// Seeded random `Zipkin_Proto3_Span`s that a decoder must accept, reaching every normalisation rule:
/// 64- and 128-bit trace ids of 1–16 bytes (a zero upper half included), short and all-zero ids and parent
/// ids, a parent equal to the id, every kind and unknown ones, mixed-case and non-ASCII names, negative
/// (top-bit) timestamps and durations, empty, partial and full endpoints with IPv4, IPv6, IPv4-compatible
/// and -mapped addresses, bad address lengths, annotations that are unsorted, repeated,
/// without a timestamp or a value, and tags whose keys sort differently in Java and in Swift.
struct RandomProtoSpans {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let names = ["get", "GET /api/Users", "post /orders/{id}", "", "ÉCOLE", "Ünïcödé span", "select ORDERS", "a"]
    static let services = ["frontend", "BackEnd", "", "api-gateway-with-a-long-name", "Ωmega", "redis"]
    /// Keys whose Java order differs from Swift's (U+E000 vs a supplementary character), an empty key, case.
    static let keys = ["http.method", "http.path", "error", "", "Key", "key", "日本", "\u{E000}x", "🙂", "é", "a.b.c.d.e.f.g.h.i"]
    static let alphabet = Array("abcXYZ09 _-./:\"\\\t\né日本🙂\u{2028}\u{E000}")

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &rng)! }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }

    mutating func text(_ maxLength: Int) -> String {
        String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in pick(Self.alphabet) })
    }

    mutating func span() -> Zipkin_Proto3_Span {
        var m = Zipkin_Proto3_Span()
        var trace: [UInt8]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: trace = bytes(8)
        case 1: trace = bytes(16)
        case 2: trace = [UInt8](repeating: 0, count: 8) + bytes(8)
        default: trace = bytes(Int.random(in: 1...15, using: &rng))
        }
        trace[trace.count - 1] |= 1  // never all zeros
        m.traceID = Data(trace)
        var id = chance(85) ? bytes(8) : bytes(Int.random(in: 1...7, using: &rng))  // short ids may be all zeros
        if id.count == 8 { id[7] |= 1 }
        m.id = Data(id)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: break
        case 1: m.parentID = Data(repeating: 0, count: 8)  // no parent
        case 2: m.parentID = m.id  // dropped by build()
        case 3: m.parentID = Data(bytes(Int.random(in: 1...7, using: &rng)))
        default: m.parentID = Data(bytes(8))
        }
        m.kind = Zipkin_Proto3_Span.Kind(rawValue: pick([0, 1, 2, 3, 4, 1, 2, 5, 7, 100]))!
        m.name = chance(10) ? text(20) : pick(Self.names)
        m.timestamp = chance(20) ? 0 : chance(10) ? UInt64.random(in: 1 << 63...UInt64.max, using: &rng) : UInt64.random(in: 1...1 << 53, using: &rng)
        m.duration = chance(20) ? 0 : chance(10) ? UInt64.random(in: 1 << 63...UInt64.max, using: &rng) : UInt64.random(in: 1...1 << 40, using: &rng)
        if chance(80) { m.localEndpoint = endpoint() }
        if chance(50) { m.remoteEndpoint = endpoint() }
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            if chance(15), let last = m.annotations.last {
                m.annotations.append(last)  // an exact duplicate
                continue
            }
            var a = Zipkin_Proto3_Annotation()
            a.timestamp = chance(10) ? 0 : UInt64.random(in: 1...UInt64.max, using: &rng)
            a.value = chance(10) ? "" : chance(50) ? pick(["wr", "ws", "retry", "Cache Miss"]) : text(12)
            m.annotations.append(a)
        }
        for _ in 0..<Int.random(in: 0...9, using: &rng) {
            m.tags[chance(80) ? pick(Self.keys) : text(10)] = chance(15) ? "" : chance(50) ? pick(["GET", "200", "true"]) : text(40)
        }
        m.debug = chance(20)
        m.shared = chance(40)
        return m
    }

    mutating func endpoint() -> Zipkin_Proto3_Endpoint {
        var e = Zipkin_Proto3_Endpoint()
        if chance(10) { return e }  // present but empty: dropped
        if chance(80) { e.serviceName = chance(10) ? text(15) : pick(Self.services) }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: break
        case 1: e.ipv4 = Data(bytes(3))  // not an address: ignored
        case 2: e.ipv4 = Data(bytes(16))  // 16 bytes in the ipv4 field still read as IPv6
        default: e.ipv4 = Data(bytes(4))
        }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0, 1: break
        case 2: e.ipv6 = Data(repeating: 0, count: 12) + Data(bytes(4))  // IPv4-compatible: read as IPv4
        case 3: e.ipv6 = Data(repeating: 0, count: 15) + Data([1])  // ::1 stays IPv6
        case 4: e.ipv6 = Data(repeating: 0, count: 10) + Data([0xFF, 0xFF]) + Data(bytes(4))  // mapped stays IPv6
        case 5: e.ipv6 = Data(bytes(5))  // not an address
        default: e.ipv6 = Data(bytes(16))
        }
        // no negative ports: the generated code writes them as 10-byte varints, which Zipkin (and Pharos) reject
        e.port = chance(20) ? 0 : Int32.random(in: 1...65535, using: &rng)
        return e
    }

    /// `count` spans cut into lists of 1–`maxPerList` spans, as reporters batch them.
    mutating func lists(spans count: Int, maxPerList: Int) -> [Zipkin_Proto3_ListOfSpans] {
        var lists: [Zipkin_Proto3_ListOfSpans] = []
        var left = count
        while left > 0 {
            var list = Zipkin_Proto3_ListOfSpans()
            let n = min(left, Int.random(in: 1...maxPerList, using: &rng))
            list.spans = (0..<n).map { _ in span() }
            lists.append(list)
            left -= n
        }
        return lists
    }
}
