import Foundation
import PharosCore

/// The small pieces spans are made of: endpoints, paths with ids, HTTP tags.
extension TraceGenerator {
    /// A random instance of `node` as an endpoint (service name, IPv4, listening port).
    mutating func instance(of node: Int) -> Endpoint {
        let n = topology.nodes[node]
        return Endpoint(serviceName: n.name, ipv4: n.instances[random.index(below: n.instances.count)], port: n.port)
    }

    /// A public-looking client address (first octet 1…223, never 10, 127 or 172).
    mutating func userAddress() -> UInt32 {
        var first = UInt32(random.int(in: 1...223))
        if first == 10 || first == 127 || first == 172 { first += 1 }
        return first << 24 | UInt32(truncatingIfNeeded: random.next() & 0x00FF_FFFF)
    }

    /// `template` with `{id}` replaced by a random id (a heavy-tailed popularity: most hits on few ids).
    mutating func path(_ template: String) -> String {
        guard let range = template.range(of: "{id}") else { return template }
        let id = Int(1_000_000 * random.unit() * random.unit() * random.unit())
        return template.replacingCharacters(in: range, with: String(id))
    }

    /// `http.method`, `http.path` and `http.status_code` of a request to `op` (unsorted).
    func httpTags(_ op: Operation, path: String, status: String) -> [SpanTag] {
        [
            SpanTag(key: "http.method", value: op.method), SpanTag(key: "http.path", value: path),
            SpanTag(key: "http.status_code", value: status),
        ]
    }

    /// Tops a trace up to 5 spans with local spans under the root, when the budget or the dice cut it short.
    mutating func padToMinimum() {
        guard let root = spans.first, let local = root.localEndpoint else { return }
        var cursor = root.timestampUs + 10
        while spans.count < 5 {
            let duration = max(1, min(random.latencyUs(medianUs: 150), root.durationUs / 8))
            spans.append(
                Span(
                    traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: root.id,
                    id: random.nonZeroId(), name: "render-fragment", timestampUs: cursor, durationUs: duration,
                    localEndpoint: local, tags: [SpanTag(key: "lc", value: local.serviceName ?? "")]))
            cursor += duration
        }
    }
}
