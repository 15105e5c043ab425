import PharosCore

/// The fields of one span while a decoder reads them, and Zipkin's `Span.Builder.build()` rules.
///
/// Shared by the JSON v2, JSON v1 and proto3 decoders so normalisation is written once. Setters follow
/// `zipkin2.Span.Builder`: a later field overwrites an earlier one, names are lower-cased with empty
/// meaning absent, negative timestamps and durations become 0 (absent), empty endpoints are dropped.
/// `build()` removes `parentId == id`, removes `shared` from a CLIENT span, sorts annotations by
/// (timestamp, value) dropping exact duplicates (`Span.sortedList`), and sorts tags by key keeping the
/// last value of a repeated key (`TreeMap.put`). Not thread-safe; one per decoding call.
struct ZipkinSpanAssembly {
    var hasTraceId = false
    var hasId = false
    var span = Span(traceIdLow: 0, id: 0)

    /// Starts a new span (after a failed one; `build()` leaves the assembly empty).
    @inline(__always)
    mutating func reset() {
        if hasTraceId || hasId || span.name != nil || !span.tags.isEmpty { span = Span(traceIdLow: 0, id: 0) }
        hasTraceId = false
        hasId = false
    }

    @inline(__always)
    mutating func setTraceId(_ id: (high: UInt64, low: UInt64, is128Bit: Bool)) {
        span.traceIdHigh = id.high
        span.traceIdLow = id.low
        span.traceIdIs128Bit = id.is128Bit
        hasTraceId = true
    }

    @inline(__always)
    mutating func setId(_ id: UInt64) {
        span.id = id
        hasId = true
    }

    /// `Builder.timestamp(long)`: negative means unknown.
    @inline(__always)
    mutating func setTimestamp(_ us: Int64) { span.timestampUs = max(us, 0) }

    /// `Builder.duration(long)`: negative means unknown.
    @inline(__always)
    mutating func setDuration(_ us: Int64) { span.durationUs = max(us, 0) }

    /// `Builder.localEndpoint`: an endpoint with nothing known is dropped.
    @inline(__always)
    mutating func setLocalEndpoint(_ e: Endpoint?) { span.localEndpoint = e.flatMap { $0.isEmpty ? nil : $0 } }

    @inline(__always)
    mutating func setRemoteEndpoint(_ e: Endpoint?) { span.remoteEndpoint = e.flatMap { $0.isEmpty ? nil : $0 } }

    /// Applies the build rules and returns the span, or Zipkin's `Missing :` message.
    mutating func build() throws(ZipkinIDRules.Failure) -> Span {
        if !hasTraceId || !hasId {
            throw ZipkinIDRules.Failure(message: "Missing :" + (hasTraceId ? "" : " traceId") + (hasId ? "" : " id"))
        }
        if span.parentId == span.id { span.parentId = 0 }
        if span.shared && span.kind == .client { span.shared = false }
        if span.annotations.count > 1 { Self.normalise(&span.annotations) }
        if span.tags.count > 1 { Self.normalise(&span.tags) }
        // move the span out instead of copying it: a copy costs a retain and a release per string and array
        var out = Span(traceIdLow: 0, id: 0)
        swap(&out, &span)
        hasTraceId = false
        hasId = false
        return out
    }

    /// Moves the elements read for one span into it and leaves `scratch` empty with room for as many.
    @inline(__always)
    static func move<T>(_ scratch: inout [T], into field: inout [T]) {
        let n = scratch.count
        if n == 0 { return }
        swap(&scratch, &field)
        scratch.reserveCapacity(n)
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
    static func normalise(_ t: inout [SpanTag]) {
        if isStrictlySorted(t) { return }  // the common case: already in order, no repeated key
        // insertion sort: stable, and fastest for the handful of tags a span carries
        for i in 1..<t.count {
            let x = t[i]
            var j = i
            while j > 0 && x < t[j - 1] {
                t[j] = t[j - 1]
                j -= 1
            }
            t[j] = x
        }
        var j = 0
        for i in 1..<t.count {
            if t[j] < t[i] {  // sorted, so "not less" means the same key
                j += 1
                if i != j { t[j] = t[i] }
            } else {
                t[j] = t[i]
            }
        }
        t.removeLast(t.count - j - 1)
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
