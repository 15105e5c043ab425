import PharosCore

/// `zipkin2.v1.V1SpanConverter`: one v1 span → one or more v2 spans, one per local service.
///
/// Core annotations (two letters, with an endpoint) set kinds: cs/cr CLIENT, sr/ss SERVER, ms PRODUCER,
/// mr CONSUMER; ws/wr are message-wire events. Timestamps and durations come from the span when both are
/// set, else from the annotations (client owns a shared span's duration; a server with cs and sr becomes
/// a separate `shared` span, forked when client and server have the same service name). A missing start
/// annotation is synthesised when `timestamp + duration` equals the end annotation; incomplete RPCs keep
/// their end annotation as a plain annotation. Binary annotations become tags (`lc` with an empty value
/// is dropped) or remote endpoints (`ca` on the server, `sa` on the client, `ma` on messaging spans;
/// with no core annotations, `ca`+`sa` make a client span, `ca` alone a SERVER). Pure.
enum ZipkinV1SpanConverter {
    typealias Note = ZipkinV1Span.Annotation

    static func convert(_ source: ZipkinV1Span, into out: inout [Span]) throws(ZipkinIDRules.Failure) {
        var c = State(source: source)
        c.processAnnotations()
        c.processBinaryAnnotations()
        for var span in c.spans {
            try ZipkinSpanAssembly(hasTraceId: true, hasId: true).finish(&span)
            out.append(span)
        }
    }

    struct State {
        let source: ZipkinV1Span
        var spans: [Span]
        var cs: Note?, sr: Note?, ss: Note?, cr: Note?, ms: Note?, mr: Note?, ws: Note?, wr: Note?

        init(source: ZipkinV1Span) {
            self.source = source
            spans = []
            spans.append(newSpan())
        }

        func newSpan() -> Span {
            Span(
                traceIdHigh: source.traceIdHigh, traceIdLow: source.traceIdLow, parentId: source.parentId, id: source.id,
                name: source.name, debug: source.debug)
        }

        static func sameService(_ l: Endpoint?, _ r: Endpoint?) -> Bool { l?.serviceName == r?.serviceName }

        /// The span for endpoint `e` (`forEndpoint` / `closeEnoughEndpoint`), created if needed.
        mutating func forEndpoint(_ e: Endpoint?) -> Int {
            guard let e else { return 0 }
            for i in spans.indices {
                if spans[i].localEndpoint == nil {
                    spans[i].localEndpoint = e
                    return i
                }
                if Self.sameService(spans[i].localEndpoint, e) { return i }
            }
            return fork(e)
        }

        mutating func fork(_ e: Endpoint) -> Int {
            var s = newSpan()
            s.localEndpoint = e
            spans.append(s)
            return spans.count - 1
        }

        mutating func annotate(_ i: Int, _ n: Note) {
            spans[i].annotations.append(SpanAnnotation(timestampUs: n.timestampUs, value: n.value))
        }

        func endReflectsDuration(_ end: Note?) -> Bool {
            guard let end else { return false }
            return source.timestampUs != 0 && source.durationUs != 0 && source.timestampUs &+ source.durationUs == end.timestampUs
        }

        mutating func maybeTimestampDuration(_ begin: Note, _ end: Note?) {
            let i = forEndpoint(begin.endpoint)
            if source.timestampUs != 0 && source.durationUs != 0 {
                spans[i].timestampUs = max(source.timestampUs, 0)
                spans[i].durationUs = max(source.durationUs, 0)
            } else {
                spans[i].timestampUs = max(begin.timestampUs, 0)
                if let end { spans[i].durationUs = max(end.timestampUs &- begin.timestampUs, 0) }
            }
        }
    }
}
