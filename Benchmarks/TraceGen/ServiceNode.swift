/// What a node of the generated topology does: who calls it and how it shows up in spans.
enum ServiceRole: Sendable {
    /// Receives user traffic; roots every trace.
    case frontend
    /// Routes frontend calls to the services, after an auth check.
    case gateway
    /// An instrumented HTTP service in the middle tier.
    case service
    /// A SQL or CQL database: uninstrumented, seen only as the remote endpoint of client spans.
    case database
    /// A key-value cache: uninstrumented, seen only as a remote endpoint.
    case cache
    /// A message broker: the remote endpoint of PRODUCER and CONSUMER spans.
    case broker
}

/// One node of the topology: a service with its instances, or a backend it talks to.
///
/// Immutable once the topology is built; `ServiceTopology` owns every node and refers to them by index.
struct ServiceNode: Sendable {
    /// Lower-case service name as it appears in endpoints.
    let name: String
    let role: ServiceRole
    /// IPv4 addresses of the instances (the first octet in the most significant byte).
    let instances: [UInt32]
    /// The port every instance listens on.
    let port: UInt16
    /// Brave-style instrumentation: the server side joins the caller's span id (`shared`); OpenTelemetry-style
    /// services start a child span instead. Only meaningful for instrumented nodes.
    let joinsSpans: Bool
    /// Trace ids this node starts are 128-bit (only frontends start traces).
    let traceId128: Bool
    /// `db.system` / `messaging.system` of a backend (`postgresql`, `redis`, `kafka`); empty for HTTP services.
    let system: String
    /// HTTP routes of a service, statements of a datastore, topics of a broker, message handlers of a consumer.
    var operations: [Operation]
}

/// One thing a node does: an HTTP route, a database statement, a topic, or a message handler.
struct Operation: Sendable {
    /// The span name (lower case): `get /api/v1/orders/{id}`, `select orders`, `orders publish`.
    let name: String
    /// HTTP method (`GET`); empty for statements, topics and handlers.
    let method: String
    /// Route template with `{id}` for HTTP, statement text for datastores (`{id}` replaced per span in
    /// cache keys), the topic name for brokers.
    let detail: String
    /// Median time spent in the operation itself, excluding downstream calls.
    let selfMedianUs: Double
    /// Downstream work, in the order it runs.
    var calls: [Call]
}

/// A downstream call an operation may make.
struct Call: Sendable {
    enum Target: Sendable {
        /// A client span to another instrumented service, which records the server side.
        case http(service: Int, operation: Int)
        /// A client span to a database or cache statement.
        case datastore(service: Int, operation: Int)
        /// A PRODUCER span to the broker's topic, then a CONSUMER span in `consumer` running `handler`.
        case publish(broker: Int, topic: Int, consumer: Int, handler: Int)
        /// A local (kind-less) span, e.g. template rendering.
        case local(name: String)
    }

    let target: Target
    /// Chance that the call happens at all in one request.
    let probability: Double
    /// How many times it happens (N+1 queries, batch lookups).
    let fanOut: ClosedRange<Int>
    /// Whether repeated calls overlap in time (scatter-gather) or run one after another.
    let parallel: Bool

    init(_ target: Target, probability: Double = 1, fanOut: ClosedRange<Int> = 1...1, parallel: Bool = false) {
        self.target = target
        self.probability = probability
        self.fanOut = fanOut
        self.parallel = parallel
    }
}
