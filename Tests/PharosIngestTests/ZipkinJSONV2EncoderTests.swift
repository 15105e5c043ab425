import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin JSON v2 encoder")
struct ZipkinJSONV2EncoderTests {
    @Test func fieldOrderAsZipkinWritesIt() {
        let span = Span(
            traceIdHigh: 0x4848_5a39_53bb_6124, traceIdLow: 0x6b22_1d5b_c9e6_496c, parentId: 0x6b22_1d5b_c9e6_496c,
            id: 0x5b41_8566_6d50_f68b, kind: .client, name: "get", timestampUs: 1_472_470_996_199_000, durationUs: 207_000,
            localEndpoint: Endpoint(serviceName: "frontend", ipv4: 0x7F00_0001),
            remoteEndpoint: Endpoint(serviceName: "backend", ipv4: 0xC0A8_6365, port: 9000),
            annotations: [SpanAnnotation(timestampUs: 1_472_470_996_238_000, value: "ws")],
            tags: [SpanTag(key: "clnt/finagle.version", value: "6.45.0"), SpanTag(key: "http.path", value: "/api")],
            debug: true, shared: true)
        #expect(
            zipkinJSON([span]) == #"[{"traceId":"48485a3953bb61246b221d5bc9e6496c","parentId":"6b221d5bc9e6496c","#
                + #""id":"5b4185666d50f68b","kind":"CLIENT","name":"get","timestamp":1472470996199000,"duration":207000,"#
                + #""localEndpoint":{"serviceName":"frontend","ipv4":"127.0.0.1"},"#
                + #""remoteEndpoint":{"serviceName":"backend","ipv4":"192.168.99.101","port":9000},"#
                + #""annotations":[{"timestamp":1472470996238000,"value":"ws"}],"#
                + #""tags":{"clnt/finagle.version":"6.45.0","http.path":"/api"},"debug":true,"shared":true}]"#)
    }

    @Test func minimalSpanAndEmptyList() {
        #expect(zipkinJSON([]) == "[]")
        #expect(zipkinJSON([Span(traceIdLow: 1, id: 2)]) == #"[{"traceId":"0000000000000001","id":"0000000000000002"}]"#)
        #expect(
            zipkinJSON([Span(traceIdLow: 1, traceIdIs128Bit: true, id: 2)]).hasPrefix(#"[{"traceId":"00000000000000000000000000000001""#))
    }

    @Test func escapingAsJsonEscaper() {
        let s = Span(traceIdLow: 1, id: 2, tags: [SpanTag(key: "k", value: "\"\\\t\u{8}\n\r\u{c}\u{1}\u{1f}/é\u{2028}\u{2029}🙂")])
        #expect(zipkinJSON([s]).contains(#""tags":{"k":"\"\\\t\b\n\r\f\u0001\u001f/é\u2028\u2029🙂"}"#))
    }

    @Test func endpointsWithOnlySomeParts() {
        let s = Span(traceIdLow: 1, id: 2, localEndpoint: Endpoint(port: 80), remoteEndpoint: Endpoint(ipv6: IPv6Address(high: 0, low: 1)))
        #expect(zipkinJSON([s]).hasSuffix(#""localEndpoint":{"port":80},"remoteEndpoint":{"ipv6":"::1"}}]"#))
    }
}
