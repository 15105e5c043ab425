import PharosCore

/// Zipkin's `Span.Builder` rules over a span a decoder fills in place: what the builder's setters do to a
/// value, and `build()`'s checks and normalisation (`finish`).
///
/// Shared by the JSON v2, JSON v1 and proto3 decoders so normalisation is written once. Setters follow
/// `zipkin2.Span.Builder`: a later field overwrites an earlier one, names are lower-cased with empty
/// meaning absent, negative timestamps and durations become 0 (absent), empty endpoints are dropped.
/// `finish` removes `parentId == id`, removes `shared` from a CLIENT span, sorts annotations by
/// (timestamp, value) dropping exact duplicates (`Span.sortedList`), and sorts tags by key keeping the
/// last value of a repeated key (`TreeMap.put`).
///
/// The span is the decoder's local variable, started from `emptySpan` and appended with `consume`: `Span`
/// is large, and every copy of it (a generic value-witness copy here, with a retain per string) cost more
/// than decoding a field. Not thread-safe; one per decoded span.
struct ZipkinSpanAssembly {
    var hasTraceId = false
    var hasId = false
    /// Set by a decoder that saw the tag keys arrive strictly increasing (`ZipkinKeyOrder`): `finish` then
    /// skips re-checking the order on the strings.
    var tagsInOrder = false

    /// A span with nothing set; copying it is cheaper than calling `Span.init` (not inlinable here).
    static let emptySpan = Span(traceIdLow: 0, id: 0)

    @inline(__always)
    mutating func setTraceId(_ id: (high: UInt64, low: UInt64, is128Bit: Bool), of span: inout Span) {
        span.traceIdHigh = id.high
        span.traceIdLow = id.low
        span.traceIdIs128Bit = id.is128Bit
        hasTraceId = true
    }

    @inline(__always)
    mutating func setId(_ id: UInt64, of span: inout Span) {
        span.id = id
        hasId = true
    }

    /// `Builder.timestamp(long)` and `duration(long)`: negative means unknown.
    @inline(__always)
    static func micros(_ us: Int64) -> Int64 { max(us, 0) }

    /// `Builder.localEndpoint` / `remoteEndpoint`: an endpoint with nothing known is dropped.
    @inline(__always)
    static func endpoint(_ e: Endpoint?) -> Endpoint? {
        guard let e, !e.isEmpty else { return nil }
        return e
    }

    /// Applies the build rules to `span`, or throws Zipkin's `Missing :` message.
    func finish(_ span: inout Span) throws(ZipkinIDRules.Failure) {
        if !hasTraceId || !hasId {
            throw ZipkinIDRules.Failure(message: "Missing :" + (hasTraceId ? "" : " traceId") + (hasId ? "" : " id"))
        }
        if span.parentId == span.id { span.parentId = 0 }
        if span.shared && span.kind == .client { span.shared = false }
        if span.annotations.count > 1 { Self.normalise(&span.annotations) }
        if span.tags.count > 1 && !tagsInOrder { Self.normalise(&span.tags) }
    }

    /// Sorted, exact duplicates (same bytes, as Java's `equals`) removed.
    static func normalise(_ a: inout [SpanAnnotation]) {
        if isStrictlySorted(a) { return }
        a.sort()
        var j = 0
        for i in 1..<a.count where a[j] < a[i] {  // sorted, so "not less" means equal
            j += 1
            if i != j { a[j] = a[i] }
        }
        a.removeLast(a.count - j - 1)
    }

    /// Stable-sorted by key, and for a repeated key only the last one kept (what `TreeMap.put` leaves).
    /// Sorts by swapping in place and compares the keys' UTF-8 storage directly, so a body whose reporter
    /// sends tags unsorted pays no reference counting for it.
    static func normalise(_ t: inout [SpanTag]) {
        var unique = true
        t.withUnsafeMutableBufferPointer { b in
            var sorted = true
            for i in 1..<b.count where !keyPrecedes(b[i - 1], b[i]) {
                sorted = false
                break
            }
            if sorted { return }
            // insertion sort: stable, and fastest for the handful of tags a span carries
            for i in 1..<b.count {
                var j = i
                while j > 0 && keyPrecedes(b[j], b[j - 1]) {
                    b.swapAt(j, j - 1)
                    j -= 1
                }
            }
            for i in 1..<b.count where !keyPrecedes(b[i - 1], b[i]) {
                unique = false
                break
            }
        }
        if unique { return }
        var j = 0
        for i in 1..<t.count {
            if keyPrecedes(t[j], t[i]) {  // sorted, so "not less" means the same key
                j += 1
                if i != j { t[j] = t[i] }
            } else {
                t[j] = t[i]
            }
        }
        t.removeLast(t.count - j - 1)
    }

    /// `SpanTag.<` (Java order of the keys) over the strings' UTF-8 storage, without copying the strings.
    @inline(__always)
    static func keyPrecedes(_ a: SpanTag, _ b: SpanTag) -> Bool {
        let fast = a.key.utf8.withContiguousStorageIfAvailable { x in
            b.key.utf8.withContiguousStorageIfAvailable { y in JavaStringOrder.precedes(x, y) }
        }
        return (fast ?? nil) ?? (a < b)
    }

    /// True when every element is less than its successor (so also no duplicates).
    @inline(__always)
    static func isStrictlySorted<T: Comparable>(_ a: [T]) -> Bool {
        var i = 1
        while i < a.count {
            if !(a[i - 1] < a[i]) { return false }
            i += 1
        }
        return true
    }
}
