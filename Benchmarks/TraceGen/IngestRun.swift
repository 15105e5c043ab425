import Foundation
import Synchronization

/// The shared state of one `tracegen ingest` run: the next body to send, progress counters, and each
/// client's results. Clients are threads; counters are atomics and results are merged under a mutex once
/// per client, so the hot loop touches one relaxed atomic per request.
final class IngestRun: Sendable {
    /// Totals of a finished run.
    struct Result: Sendable {
        var requests = 0
        var spans = 0
        var errors = 0
        var latencies: [UInt64] = []
        var firstErrors: [String] = []
    }

    let bodies: BodyFile
    let total: Int
    let deadline: UInt64
    let next = Atomic<Int>(0)
    let requestsDone = Atomic<Int>(0)
    let spansDone = Atomic<Int>(0)
    private let merged = Mutex(Result())

    init(bodies: BodyFile, total: Int, deadline: UInt64) {
        self.bodies = bodies
        self.total = total
        self.deadline = deadline
    }

    /// One client's loop: take a body, post it, check for 202, until the file or the time runs out.
    func client(endpoint: HTTPEndpoint, path: String, timeoutSeconds: Int) {
        let connection = HTTPConnection(endpoint: endpoint, timeoutSeconds: timeoutSeconds)
        let prefix =
            "POST \(path) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\nContent-Type: \(bodies.format.contentType)\r\nContent-Length: "
        var head: [UInt8] = []
        var mine = Result()
        mine.latencies.reserveCapacity(total / 2)
        var failuresInARow = 0
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            if i >= total || DispatchTime.now().uptimeNanoseconds > deadline { break }
            let body = bodies.body(i)
            head.removeAll(keepingCapacity: true)
            head.append(contentsOf: prefix.utf8)
            head.append(contentsOf: String(body.count).utf8)
            head.append(contentsOf: [13, 10, 13, 10])
            let sent = DispatchTime.now().uptimeNanoseconds
            do {
                let reply = try connection.exchange(head: head, body: body, keepBody: true)
                mine.latencies.append(DispatchTime.now().uptimeNanoseconds - sent)
                if reply.status != 202 {
                    mine.errors += 1
                    note("body \(i): HTTP \(reply.status): \(String(decoding: reply.body.prefix(200), as: UTF8.self))", in: &mine)
                } else {
                    mine.spans += bodies.bodies[i].spans
                }
                failuresInARow = 0
            } catch {
                mine.errors += 1
                failuresInARow += 1
                note("body \(i): \(error)", in: &mine)
                if failuresInARow >= 3 { break }  // the server is gone: stop rather than spin
            }
            mine.requests += 1
            requestsDone.add(1, ordering: .relaxed)
            spansDone.add(bodies.bodies[i].spans, ordering: .relaxed)
        }
        merged.withLock { all in
            all.requests += mine.requests
            all.spans += mine.spans
            all.errors += mine.errors
            all.latencies += mine.latencies
            all.firstErrors += mine.firstErrors.prefix(max(0, 5 - all.firstErrors.count))
        }
    }

    func result() -> Result { merged.withLock { $0 } }

    private func note(_ message: String, in result: inout Result) {
        if result.firstErrors.count < 5 { result.firstErrors.append(message) }
    }
}
