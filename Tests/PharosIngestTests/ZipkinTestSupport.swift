import PharosCore
import PharosIngest

/// Decodes a JSON v2 body given as text.
func zipkinV2(_ json: String) throws(ZipkinDecodingError) -> [Span] {
    try ZipkinJSONV2Decoder.decode(Array(json.utf8))
}

/// The single span of `[<object>]`.
func zipkinV2Span(_ object: String) throws(ZipkinDecodingError) -> Span {
    let spans = try zipkinV2("[" + object + "]")
    precondition(spans.count == 1)
    return spans[0]
}

/// The error message for a JSON v2 body, or nil if it decodes.
func zipkinV2Error(_ json: String) -> String? {
    do {
        _ = try zipkinV2(json)
        return nil
    } catch {
        return error.message
    }
}

/// A span object with the given extra members after valid ids.
func zipkinObject(_ members: String) -> String {
    #"{"traceId":"86154a4ba6e91385","id":"4d1e00c0db9010db""# + (members.isEmpty ? "" : "," + members) + "}"
}

/// JSON v2 text of spans, as the encoder writes it.
func zipkinJSON(_ spans: [Span]) -> String {
    var out: [UInt8] = []
    ZipkinJSONV2Encoder.encode(spans, into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Seeded random normalised spans for round trips (what a decoder could have produced).
func randomZipkinSpans(count: Int, seed: UInt64) -> [Span] {
    var rng = SplitMix64(seed: seed)
    func text(_ maxLength: Int, lower: Bool = false) -> String {
        let alphabet = Array("abcdefgxyzABC019 _-./:\"\\\t\n{}é日本🙂\u{2028}\u{7f}\u{1}")
        let n = Int.random(in: 0...maxLength, using: &rng)
        let s = String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
        return lower ? s.lowercased() : s
    }
    func endpoint() -> Endpoint? {
        guard Bool.random(using: &rng) else { return nil }
        let name = text(12, lower: true)
        var e = Endpoint(serviceName: name.isEmpty ? nil : name)
        if Bool.random(using: &rng) { e.ipv4 = UInt32.random(in: 0...UInt32.max, using: &rng) }
        if Bool.random(using: &rng) {
            var a = IPv6Address(high: rng.next(), low: rng.next())
            if Bool.random(using: &rng) { a.low &= 0xFFFF_0000_FFFF_FFFF }  // zero runs
            if a.high == 0 && a.low >> 32 == 0 { a.high = 1 }  // would read back as IPv4
            e.ipv6 = a
        }
        if Bool.random(using: &rng) { e.port = UInt16.random(in: 1...UInt16.max, using: &rng) }
        return e.isEmpty ? nil : e
    }
    return (0..<count).map { _ in
        let is128 = Bool.random(using: &rng)
        let high = is128 ? rng.next() | 1 : 0
        let id = rng.next() | 1
        var parent = Bool.random(using: &rng) ? rng.next() : 0
        if parent == id { parent = 0 }
        let kind = [nil, SpanKind.client, .server, .producer, .consumer].randomElement(using: &rng)!
        let name = text(20, lower: true)
        var annotations = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            SpanAnnotation(timestampUs: Int64.random(in: 1...1 << 52, using: &rng), value: text(10))
        }
        annotations.sort()
        var tags: [SpanTag] = []
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let key = text(10)
            if !tags.contains(where: { $0.key.utf8.elementsEqual(key.utf8) }) { tags.append(SpanTag(key: key, value: text(30))) }
        }
        tags.sort()
        return Span(
            traceIdHigh: high, traceIdLow: rng.next() | 1, traceIdIs128Bit: is128, parentId: parent, id: id, kind: kind,
            name: name.isEmpty ? nil : name, timestampUs: Int64.random(in: 0...1 << 53, using: &rng),
            durationUs: Int64.random(in: 0...1 << 40, using: &rng), localEndpoint: endpoint(), remoteEndpoint: endpoint(),
            annotations: annotations, tags: tags, debug: Bool.random(using: &rng),
            shared: kind != .client && Bool.random(using: &rng))
    }
}
