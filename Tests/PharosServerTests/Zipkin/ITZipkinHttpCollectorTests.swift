import Foundation
import Testing

/// zipkin-server's `ITZipkinHttpCollector.kt` (reference B.9 items 18–26): content types, format
/// detection, empty and malformed bodies, gzip. Upstream checks the in-memory store after a 202; here the
/// trace is read back over `/api/v2/trace/{id}`.
@Suite(.serialized, .sharedDaemon())
struct ITZipkinHttpCollectorTests {
    typealias T = TestObjects

    /// `TestObjects.TRACE` (newTrace without suffix) under a fresh trace id.
    static func trace() -> [ZipkinSpan] { T.newTrace("", traceId: T.newTraceId()) }

    static func post(_ c: ZipkinCase, _ path: String, contentType: String?, _ body: [UInt8], encoding: String? = nil) throws -> HTTPResult {
        var headers: [String: String] = [:]
        if let contentType { headers["Content-Type"] = contentType }
        if let encoding { headers["Content-Encoding"] = encoding }
        return try TestHTTP.request("POST", port: c.port, path: path, body: body, headers: headers)
    }

    func expectStored(_ c: ZipkinCase, _ response: HTTPResult, _ trace: [ZipkinSpan], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == 202, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        c.own(trace[0].traceId)
        try c.inEveryPhase { try c.expectTrace(trace[0].traceId, trace, sourceLocation: sourceLocation) }
    }

    @Test func noContentTypeIsJsonV2() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try expectStored(c, try Self.post(c, "/api/v2/spans", contentType: nil, Array(ZipkinJSON.encode(trace).utf8)), trace)
    }

    @Test func jsonV2() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try expectStored(c, try Self.post(c, "/api/v2/spans", contentType: "application/json", Array(ZipkinJSON.encode(trace).utf8)), trace)
    }

    @Test func jsonV2_accidentallySentV1Format() throws {
        let c = try ZipkinCase()
        let response = try Self.post(c, "/api/v2/spans", contentType: "application/json", Array(ZipkinV1.json(Self.trace()).utf8))
        #expect(response.status == 400)
        #expect(response.text.hasPrefix("Expected a JSON_V2 encoded list, but received: JSON_V1\n"), "\(response.text)")
    }

    @Test func jsonV1_accidentallySentV2Format() throws {
        let c = try ZipkinCase()
        let response = try Self.post(c, "/api/v1/spans", contentType: "application/json", Array(ZipkinJSON.encode(Self.trace()).utf8))
        #expect(response.status == 400)
        #expect(response.text.hasPrefix("Expected a JSON_V1 encoded list, but received: JSON_V2\n"), "\(response.text)")
    }

    @Test func ambiguousFormatOk() throws {
        let c = try ZipkinCase()
        let traceId = T.hex(UInt64.random(in: 1...UInt64.max))
        let body = Array(#"[{"traceId": "\#(traceId)", "id": "1", "name": "test"}]"#.utf8)
        #expect(try Self.post(c, "/api/v1/spans", contentType: nil, body).status == 202)
        #expect(try Self.post(c, "/api/v2/spans", contentType: nil, body).status == 202)
    }

    static let endpoints = [
        ("/api/v2/spans", "application/json"), ("/api/v2/spans", "application/x-protobuf"), ("/api/v1/spans", "application/json"),
        ("/api/v1/spans", "application/x-thrift"),
    ]

    /// As upstream, the `gzip` variant sends the body as is with `Content-Encoding: gzip`.
    @Test func emptyIsOk() throws {
        let c = try ZipkinCase()
        for (path, contentType) in Self.endpoints {
            for encoding in ["identity", "gzip"] {
                let response = try Self.post(c, path, contentType: contentType, [], encoding: encoding)
                #expect((200..<300).contains(response.status), "\(path) \(contentType) \(encoding): \(response.status) \(response.text)")
            }
        }
    }

    @Test func malformedNotOk() throws {
        let c = try ZipkinCase()
        for (path, contentType) in Self.endpoints {
            for encoding in ["identity", "gzip"] {
                let response = try Self.post(c, path, contentType: contentType, [1, 2, 3, 4], encoding: encoding)
                let label = "\(path) \(contentType) \(encoding): \(response.status) \(response.text)"
                #expect(response.status == 400, "\(label)")
                if encoding == "identity" {
                    #expect(response.text.contains("Expected a ") && response.text.contains(" encoded list\n"), "\(label)")
                } else {
                    #expect(response.text.contains("Cannot gunzip spans"), "\(label)")
                }
            }
        }
    }

    /// Upstream only checks the 202; the v1 → v2 conversion is checked through the span ids read back.
    @Test func contentTypeXThrift() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        let response = try Self.post(c, "/api/v1/spans", contentType: "application/x-thrift", ZipkinV1.thrift(trace))
        #expect(response.status == 202, "\(response.status) \(response.text)")
        c.own(trace[0].traceId)
        try c.inEveryPhase {
            let ids = try c.getTrace(trace[0].traceId).map(\.id).sorted()
            #expect(ids == ["0000000000000001", "0000000000000002", "0000000000000002", "0000000000000003"], "[\(c.phase)]")
        }
    }

    @Test func contentTypeXProtobuf() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        try expectStored(c, try Self.post(c, "/api/v2/spans", contentType: "application/x-protobuf", ZipkinProto3.encode(trace)), trace)
    }

    @Test func gzipEncoded() throws {
        let c = try ZipkinCase()
        let trace = Self.trace()
        let body = try gzip(Array(ZipkinJSON.encode(trace).utf8))
        try expectStored(c, try Self.post(c, "/api/v2/spans", contentType: nil, body, encoding: "gzip"), trace)
    }
}
