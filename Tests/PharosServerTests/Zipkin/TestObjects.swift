import Foundation

/// Port of Zipkin's `zipkin-tests/.../TestObjects.java`: the fixtures every acceptance case builds on.
///
/// Times are real (midnight UTC of today), because Zipkin's suite is written against stores with TTLs; the
/// daemon's default windows look back from now. Every case appends its own suffix to service names and uses
/// fresh random 128-bit trace ids, so cases can share one daemon without seeing each other's data.
enum TestObjects {
    /// One day in milliseconds.
    static let DAY: Int64 = 86_400_000
    /// Midnight UTC of the current day, in epoch milliseconds.
    static let TODAY: Int64 = Int64(Date().timeIntervalSince1970 * 1000) / DAY * DAY

    static let FRONTEND = ZipkinEndpoint(serviceName: "frontend", ipv4: "127.0.0.1")
    static let BACKEND = ZipkinEndpoint(serviceName: "backend", ipv4: "192.168.99.101", port: 9000)
    static let DB = ZipkinEndpoint(serviceName: "db", ipv6: "2001:db8::c001", port: 3036)
    static let KAFKA = ZipkinEndpoint(serviceName: "kafka")

    /// `CLIENT_SPAN`: the one span of ITZipkinServer and ITServiceAndSpanNames (upstream has a fixed trace
    /// id; pass a fresh one where cases share a daemon).
    static func clientSpan(traceId: String = "7180c278b62e8f6a216a2aea45d08fc9", suffix: String = "") -> ZipkinSpan {
        ZipkinSpan(
            traceId: traceId, parentId: "1", id: "2", kind: .CLIENT, name: "get", timestamp: (TODAY + 50) * 1000, duration: 200 * 1000,
            localEndpoint: FRONTEND.suffixed(suffix), remoteEndpoint: BACKEND.suffixed(suffix),
            annotations: [ZipkinAnnotation(timestamp: (TODAY + 100) * 1000, value: "foo")],
            tags: ["http.path": "/api", "clnt/finagle.version": "6.45.0"])
    }

    /// The span id `spanBuilder` carries: upstream's shared builder keeps the id of the last of its
    /// `LOTS_OF_SPANS`, one random id per run.
    static let spanBuilderId = hex(UInt64.random(in: 0x100...UInt64.max))

    /// `spanBuilder(suffix)`: name `get`, 100 µs past midnight, 200 ms, local `frontend_<suffix>`,
    /// tag `environment=test`, a fresh trace id.
    static func spanBuilder(_ suffix: String) -> ZipkinSpan {
        ZipkinSpan(
            traceId: newTraceId(), id: spanBuilderId, name: "get", timestamp: TODAY * 1000 + 100, duration: 200 * 1000,
            localEndpoint: FRONTEND.suffixed(suffix), tags: ["environment": "test"])
    }

    /// `newClientSpan(suffix)`: a CLIENT span to `backend<suffix>` (no underscore, as upstream) named
    /// `get /foo` with tags `http.method=GET`, `http.path=/foo`.
    static func newClientSpan(_ suffix: String) -> ZipkinSpan {
        spanBuilder(suffix).with {
            $0.kind = .CLIENT
            $0.remoteEndpoint = ZipkinEndpoint(serviceName: "backend" + suffix, ipv4: BACKEND.ipv4, port: BACKEND.port)
            $0.name = "get /foo"
            $0.tags = ["http.method": "GET", "http.path": "/foo"]
        }
    }

    /// `newTrace(suffix)`: frontend SERVER ① → CLIENT ② to backend → shared backend SERVER ③ → CLIENT ④ to db
    /// (with an `error` tag), spanning TODAY … TODAY+350 ms.
    static func newTrace(_ suffix: String, traceId: String = newTraceId()) -> [ZipkinSpan] {
        let frontend = FRONTEND.suffixed(suffix)
        let backend = BACKEND.suffixed(suffix)
        return [
            ZipkinSpan(
                traceId: traceId, id: "1", kind: .SERVER, name: "get", timestamp: TODAY * 1000, duration: 350 * 1000, localEndpoint: frontend),
            clientSpan(traceId: traceId).with {
                $0.localEndpoint = frontend
                $0.remoteEndpoint = backend
            },
            ZipkinSpan(
                traceId: traceId, parentId: "1", id: "2", kind: .SERVER, name: "get", timestamp: (TODAY + 100) * 1000,
                duration: 150 * 1000, localEndpoint: backend, shared: true),
            ZipkinSpan(
                traceId: traceId, parentId: "2", id: "3", kind: .CLIENT, name: "query", timestamp: (TODAY + 150) * 1000,
                duration: 50 * 1000, localEndpoint: backend, remoteEndpoint: DB.suffixed(suffix),
                annotations: [ZipkinAnnotation(timestamp: (TODAY + 190) * 1000, value: "⻩")], tags: ["error": "💩"]),
        ]
    }

    /// The links `newTrace(suffix)` produces.
    static func links(_ suffix: String) -> [ZipkinLink] {
        [
            ZipkinLink(parent: appendSuffix("frontend", suffix), child: appendSuffix("backend", suffix), callCount: 1),
            ZipkinLink(parent: appendSuffix("backend", suffix), child: appendSuffix("db", suffix), callCount: 1, errorCount: 1),
        ]
    }

    /// First span's timestamp, in ms.
    static func startTs(_ trace: [ZipkinSpan]) -> Int64 { (trace[0].timestamp ?? 0) / 1000 }

    /// First span's end (timestamp + duration), in ms.
    static func endTs(_ trace: [ZipkinSpan]) -> Int64 { startTs(trace) + (trace[0].duration ?? 0) / 1000 }

    static func appendSuffix(_ serviceName: String, _ suffix: String) -> String {
        suffix.isEmpty ? serviceName : serviceName + "_" + suffix
    }

    /// 32 random lower-hex characters; neither half is zero, so the id never shortens to 64 bits.
    static func newTraceId() -> String {
        hex(UInt64.random(in: 1...UInt64.max)) + hex(UInt64.random(in: 1...UInt64.max))
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Lower 64 bits of a trace id (`traceId.substring(16)` upstream).
    static func lower64(_ traceId: String) -> String { String(traceId.suffix(16)) }
}
