public import PharosCore

/// Makes realistic, reproducible Zipkin traces: call trees over a fixed `ServiceTopology`.
///
/// Each trace starts at a frontend page, goes through the API gateway (which checks auth) to services,
/// which read caches, query databases (sometimes N+1), call each other (sometimes scatter-gather) and
/// publish to Kafka, whose consumers write to their own databases later. What it models, in Zipkin's
/// terms: CLIENT/SERVER pairs sharing one span id (`shared`, Brave-style) or parent and child (OpenTelemetry-
/// style), PRODUCER/CONSUMER spans with the broker as remote endpoint, local spans, HTTP/DB/messaging tags,
/// ~1–3 % error spans (tag `error`), log-normal durations with a power-law tail, 5–60 spans per trace,
/// 64- and 128-bit trace ids, IPv4 endpoints with ports. Spans come out normalised (lower-case names,
/// tags sorted in Java string order), the way the Zipkin decoders produce them.
///
/// The same seed and topology size give the same traces. A value type; use one per thread.
///
///     var generator = TraceGenerator(seed: 1)
///     let spans = generator.nextTrace(startUs: 1_700_000_000_000_000)
public struct TraceGenerator {
    let topology: ServiceTopology
    var random: SplitMix64
    /// The trace being built.
    var spans: [Span] = []
    /// Spans still allowed in this trace.
    var budget = 0
    var traceIdHigh: UInt64 = 0
    var traceIdLow: UInt64 = 0
    var traceId128 = false

    /// Error rates per call; with propagation to callers they give ~1–3 % error spans.
    static let serverErrorRate = 0.006
    static let datastoreErrorRate = 0.008
    static let errorPropagation = 0.5

    /// A generator over a topology of `services` nodes (10…30, backends included), drawing from `seed`.
    public init(seed: UInt64, services: Int = 20) {
        topology = ServiceTopology(services: services)
        random = SplitMix64(seed: seed)
    }

    /// The spans of one new trace whose root starts at `startUs` (epoch µs), root first, then depth-first.
    public mutating func nextTrace(startUs: Int64) -> [Span] {
        spans = []
        spans.reserveCapacity(64)
        // Tree sizes follow the topology; the budget trims the rare huge fan-outs to Zipkin-UI-friendly sizes.
        budget = 5 + Int(55 * random.unit().squareRoot())
        let weights = topology.frontends.map { $0 == 0 ? 3.0 : 1.0 }
        let frontend = topology.frontends[random.weightedIndex(weights, total: weights.reduce(0, +))]
        let node = topology.nodes[frontend]
        traceId128 = node.traceId128
        traceIdHigh = traceId128 ? random.nonZeroId() : 0
        traceIdLow = random.nonZeroId()
        let user = Endpoint(ipv4: userAddress(), port: UInt16(random.int(in: 32768...60999)))
        let page = random.index(below: node.operations.count)
        budget -= 1
        _ = serve(frontend, page, startUs: startUs, id: random.nonZeroId(), parentId: 0, shared: false, caller: user)
        padToMinimum()
        return spans
    }

    /// What a call returned to its caller.
    struct Outcome {
        var durationUs: Int64
        var failed: Bool
    }

    /// Records the server span of `operation` on `node` and everything below it.
    /// `path` is the request path the client sent; nil at the root, where one is made from the route.
    mutating func serve(
        _ node: Int, _ operation: Int, startUs: Int64, id: UInt64, parentId: UInt64, shared: Bool,
        caller: Endpoint, path requestPath: String? = nil
    ) -> Outcome {
        let service = topology.nodes[node]
        let op = service.operations[operation]
        let local = instance(of: node)
        let index = spans.count
        spans.append(
            Span(
                traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: parentId, id: id,
                kind: .server, name: op.name, timestampUs: startUs, localEndpoint: local, remoteEndpoint: caller,
                shared: shared))
        let selfUs = random.latencyUs(medianUs: op.selfMedianUs)
        let before = selfUs / 3
        let children = runCalls(op.calls, from: node, local: local, startUs: startUs + before, parentId: id)
        let failed = random.chance(Self.serverErrorRate) || (children.failed && random.chance(Self.errorPropagation))
        let notFound = !failed && op.method != "POST" && random.chance(0.01)
        let status = failed ? (random.chance(0.8) ? "500" : "503") : notFound ? "404" : (op.method == "POST" ? "201" : "200")
        var tags = httpTags(op, path: requestPath ?? path(op.detail), status: status)
        tags.append(SpanTag(key: "http.route", value: op.detail))
        if failed { tags.append(SpanTag(key: "error", value: status)) }
        if !service.joinsSpans { tags.append(SpanTag(key: "otel.library.name", value: "io.opentelemetry.http")) }
        tags.sort()
        spans[index].durationUs = before + children.durationUs + (selfUs - before)
        spans[index].tags = tags
        return Outcome(durationUs: spans[index].durationUs, failed: failed)
    }

    /// Runs `calls` from a span that starts its downstream work at `startUs`; returns the time they took.
    mutating func runCalls(_ calls: [Call], from node: Int, local: Endpoint, startUs: Int64, parentId: UInt64) -> Outcome {
        var cursor = startUs
        var failed = false
        for call in calls where random.chance(call.probability) {
            let count = random.int(in: call.fanOut)
            var groupEnd = cursor
            for n in 0..<count {
                let start = call.parallel ? cursor + Int64(n) * random.latencyUs(medianUs: 30) : groupEnd
                guard let outcome = perform(call.target, from: node, local: local, startUs: start, parentId: parentId) else { break }
                groupEnd = max(groupEnd, start + outcome.durationUs)
                failed = failed || outcome.failed
            }
            cursor = groupEnd + random.latencyUs(medianUs: 20)
        }
        return Outcome(durationUs: cursor - startUs, failed: failed)
    }

    /// One downstream call; nil when the trace has no budget left for it.
    mutating func perform(_ target: Call.Target, from node: Int, local: Endpoint, startUs: Int64, parentId: UInt64) -> Outcome? {
        switch target {
        case .http(let service, let operation):
            guard budget >= 2 else { return nil }
            budget -= 2
            return callHTTP(service, operation, local: local, startUs: startUs, parentId: parentId)
        case .datastore(let service, let operation):
            guard budget >= 1 else { return nil }
            budget -= 1
            return callDatastore(service, operation, local: local, startUs: startUs, parentId: parentId)
        case .publish(let broker, let topic, let consumer, let handler):
            guard budget >= 2 else { return nil }
            budget -= 2
            return publish(broker, topic, consumer: consumer, handler: handler, local: local, startUs: startUs, parentId: parentId)
        case .local(let name):
            guard budget >= 1 else { return nil }
            budget -= 1
            let duration = random.latencyUs(medianUs: 250, sigma: 0.7)
            spans.append(
                Span(
                    traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: parentId,
                    id: random.nonZeroId(), name: name, timestampUs: startUs, durationUs: duration,
                    localEndpoint: local, tags: [SpanTag(key: "lc", value: topology.nodes[node].name)]))
            return Outcome(durationUs: duration, failed: false)
        }
    }

    /// A CLIENT span and the callee's SERVER span: sharing the id when the callee joins (Brave), else parent and child.
    mutating func callHTTP(_ service: Int, _ operation: Int, local: Endpoint, startUs: Int64, parentId: UInt64) -> Outcome {
        let callee = topology.nodes[service]
        let op = callee.operations[operation]
        let remote = instance(of: service)
        let index = spans.count
        let clientId = random.nonZeroId()
        let path = path(op.detail)
        spans.append(
            Span(
                traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: parentId, id: clientId,
                kind: .client, name: op.name, timestampUs: startUs, localEndpoint: local, remoteEndpoint: remote))
        let wireUs = random.latencyUs(medianUs: 180, sigma: 0.4, tail: 0.005)
        let callerSocket = Endpoint(ipv4: local.ipv4, port: UInt16(random.int(in: 32768...60999)))
        let server =
            callee.joinsSpans
            ? serve(
                service, operation, startUs: startUs + wireUs, id: clientId, parentId: parentId, shared: true, caller: callerSocket,
                path: path)
            : serve(
                service, operation, startUs: startUs + wireUs, id: random.nonZeroId(), parentId: clientId, shared: false,
                caller: callerSocket, path: path)
        let duration = server.durationUs + 2 * wireUs
        let failed = server.failed
        var tags = httpTags(op, path: path, status: failed ? "500" : (op.method == "POST" ? "201" : "200"))
        tags.append(SpanTag(key: "peer.service", value: callee.name))
        if failed { tags.append(SpanTag(key: "error", value: "500")) }
        tags.sort()
        spans[index].durationUs = duration
        spans[index].tags = tags
        if callee.joinsSpans && random.chance(0.05) {  // Brave's wire-send / wire-receive events
            spans[index].annotations = [
                SpanAnnotation(timestampUs: startUs + 3, value: "ws"),
                SpanAnnotation(timestampUs: startUs + duration - 2, value: "wr"),
            ]
        }
        return Outcome(durationUs: duration, failed: failed)
    }

    /// A CLIENT span to an uninstrumented database or cache, with `db.*` tags.
    mutating func callDatastore(_ service: Int, _ operation: Int, local: Endpoint, startUs: Int64, parentId: UInt64) -> Outcome {
        let store = topology.nodes[service]
        let op = store.operations[operation]
        let duration = random.latencyUs(medianUs: op.selfMedianUs, sigma: 0.6, tail: 0.03)
        let failed = random.chance(Self.datastoreErrorRate)
        var tags = [
            SpanTag(key: "db.system", value: store.system),
            SpanTag(key: "db.statement", value: store.role == .cache ? path(op.detail) : op.detail),
            SpanTag(key: "peer.service", value: store.name),
        ]
        if store.role == .database { tags.append(SpanTag(key: "db.name", value: "shop")) }
        if failed {
            let messages = ["timeout after 5000ms", "connection reset by peer", "deadlock detected", "too many connections"]
            tags.append(SpanTag(key: "error", value: messages[random.index(below: messages.count)]))
        }
        tags.sort()
        spans.append(
            Span(
                traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: parentId,
                id: random.nonZeroId(), kind: .client, name: op.name, timestampUs: startUs, durationUs: duration,
                localEndpoint: local, remoteEndpoint: instance(of: service), tags: tags))
        return Outcome(durationUs: duration, failed: failed)
    }

    /// A PRODUCER span to the broker, then (a few ms later, off the caller's critical path) the CONSUMER span
    /// of the handler with the broker as its remote endpoint, and the handler's own calls.
    mutating func publish(
        _ broker: Int, _ topic: Int, consumer: Int, handler: Int, local: Endpoint, startUs: Int64,
        parentId: UInt64
    ) -> Outcome {
        let brokerNode = topology.nodes[broker]
        let destination = brokerNode.operations[topic].detail
        let producerId = random.nonZeroId()
        let duration = random.latencyUs(medianUs: brokerNode.operations[topic].selfMedianUs, sigma: 0.5)
        let brokerEndpoint = instance(of: broker)
        func tags(_ operation: String) -> [SpanTag] {
            [
                SpanTag(key: "messaging.destination", value: destination), SpanTag(key: "messaging.operation", value: operation),
                SpanTag(key: "messaging.system", value: "kafka"),
            ]
        }
        spans.append(
            Span(
                traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: parentId,
                id: producerId, kind: .producer, name: brokerNode.operations[topic].name, timestampUs: startUs,
                durationUs: duration, localEndpoint: local, remoteEndpoint: brokerEndpoint, tags: tags("publish")))
        let op = topology.nodes[consumer].operations[handler]
        let consumerLocal = instance(of: consumer)
        let consumerStart = startUs + duration + random.latencyUs(medianUs: 4000, sigma: 0.8, tail: 0.05)
        let consumerId = random.nonZeroId()
        let index = spans.count
        spans.append(
            Span(
                traceIdHigh: traceIdHigh, traceIdLow: traceIdLow, traceIdIs128Bit: traceId128, parentId: producerId,
                id: consumerId, kind: .consumer, name: op.name, timestampUs: consumerStart, localEndpoint: consumerLocal,
                remoteEndpoint: brokerEndpoint, tags: tags("process")))
        let selfUs = random.latencyUs(medianUs: op.selfMedianUs)
        let work = runCalls(op.calls, from: consumer, local: consumerLocal, startUs: consumerStart + selfUs / 2, parentId: consumerId)
        spans[index].durationUs = selfUs + work.durationUs
        if work.failed {
            spans[index].tags.append(SpanTag(key: "error", value: "handler failed"))
            spans[index].tags.sort()
        }
        return Outcome(durationUs: duration, failed: false)
    }
}
