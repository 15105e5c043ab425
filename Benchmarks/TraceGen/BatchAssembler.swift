import PharosCore

/// Cuts a stream of traces into request bodies the way reporters do: each host batches its own spans, so
/// one body holds spans of many traces from few services, and one trace arrives over several bodies.
///
/// Keeps a pool of about eight batches; when full, orders it by local service (first seen first, stable)
/// and emits whole batches, keeping the remainder for the next round. Not thread-safe.
struct BatchAssembler {
    let batchSize: Int
    private var pool: [Span] = []

    init(batchSize: Int) {
        self.batchSize = max(1, batchSize)
        pool.reserveCapacity(self.batchSize * 9 + 64)
    }

    /// Adds a trace; calls `emit` for each batch that became complete.
    mutating func add(_ trace: [Span], emit: ([Span]) throws -> Void) rethrows {
        pool.append(contentsOf: trace)
        guard pool.count >= batchSize * 8 else { return }
        groupByService()
        let whole = pool.count / batchSize * batchSize
        for start in stride(from: 0, to: whole, by: batchSize) { try emit(Array(pool[start..<(start + batchSize)])) }
        pool.removeFirst(whole)
    }

    /// Emits what is left, the last batch possibly short.
    mutating func flush(emit: ([Span]) throws -> Void) rethrows {
        groupByService()
        for start in stride(from: 0, to: pool.count, by: batchSize) { try emit(Array(pool[start..<min(pool.count, start + batchSize)])) }
        pool.removeAll()
    }

    private mutating func groupByService() {
        var order: [String: Int] = [:]
        var groups: [[Span]] = []
        for span in pool {
            let service = span.localEndpoint?.serviceName ?? ""
            if let g = order[service] {
                groups[g].append(span)
            } else {
                order[service] = groups.count
                groups.append([span])
            }
        }
        pool = Array(groups.joined())
    }
}
