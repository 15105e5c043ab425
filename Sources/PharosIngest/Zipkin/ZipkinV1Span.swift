import PharosCore

/// A span as the v1 model carries it (`zipkin2.v1.V1Span`): ids as numbers, per-annotation endpoints,
/// and binary annotations (string tags, or `ca`/`sa`/`ma` address markers). Input to `ZipkinV1SpanConverter`.
struct ZipkinV1Span {
    struct Annotation {
        var timestampUs: Int64
        var value: String
        var endpoint: Endpoint?
    }

    /// A string tag (`stringValue` set) or an address annotation (`stringValue` nil).
    struct BinaryAnnotation {
        var key: String
        var stringValue: String?
        var endpoint: Endpoint?
    }

    var traceIdHigh: UInt64 = 0
    var traceIdLow: UInt64 = 0
    var id: UInt64 = 0
    var parentId: UInt64 = 0
    var name: String? = nil
    var timestampUs: Int64 = 0
    var durationUs: Int64 = 0
    var annotations: [Annotation] = []
    var binaryAnnotations: [BinaryAnnotation] = []
    var debug = false

    /// `HexCodec.lowerHexToUnsignedLong`: 1–32 lower-hex characters, the last 16 taken.
    static func lowerHexToUnsignedLong(_ base: UnsafePointer<UInt8>, _ count: Int) throws(ZipkinIDRules.Failure) -> UInt64 {
        let bad = ZipkinIDRules.Failure(
            message: String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
                + " should be a 1 to 32 character lower-hex string with no prefix")
        guard count >= 1 && count <= 32, let p = ZipkinIDRules.parseHex(base, count) else { throw bad }
        return p.low
    }

    /// `V1Span.Builder.traceId(String)`: the upper 16 characters count only when there are exactly 32.
    static func traceId(_ base: UnsafePointer<UInt8>, _ count: Int) throws(ZipkinIDRules.Failure) -> (
        high: UInt64, low: UInt64, is128Bit: Bool
    ) {
        let low = try lowerHexToUnsignedLong(base, count)
        let high = count == 32 ? ZipkinIDRules.parseHex(base, 16)!.low : 0
        return (high, low, high != 0)
    }

    /// `V1Span`'s constructor checks, then its sorting: annotations by (timestamp, value), binary annotations
    /// by key (stable, so a repeated key keeps its order and the last one wins later).
    mutating func validateAndSort() throws(ZipkinIDRules.Failure) {
        if traceIdLow == 0 { throw ZipkinIDRules.Failure(message: "traceId == 0") }
        if id == 0 { throw ZipkinIDRules.Failure(message: "id == 0") }
        annotations = annotations.enumerated().sorted { l, r in
            let a = l.element
            let b = r.element
            if a.timestampUs != b.timestampUs { return a.timestampUs < b.timestampUs }
            if !a.value.utf8.elementsEqual(b.value.utf8) { return JavaStringOrder.precedes(a.value, b.value) }
            return l.offset < r.offset
        }.map(\.element)
        binaryAnnotations = binaryAnnotations.enumerated().sorted { l, r in
            if !l.element.key.utf8.elementsEqual(r.element.key.utf8) { return JavaStringOrder.precedes(l.element.key, r.element.key) }
            return l.offset < r.offset
        }.map(\.element)
    }
}
