import Foundation
import PharosCore

/// The fixed call graph traces are drawn from: frontends → API gateway → services → databases, caches
/// and a message broker.
///
/// The graph depends only on the node count, never on the data seed, so a JSON and a proto dataset made
/// with different seeds describe the same system (same services, span names and dependency links).
/// Services call only services after them in `nodes`, so the graph is acyclic. Immutable after `init`.
struct ServiceTopology: Sendable {
    /// Every node; frontends first, then the gateway, the services, and the backends.
    private(set) var nodes: [ServiceNode] = []
    /// Indices of the frontends, which root traces.
    private(set) var frontends: [Int] = []

    /// Names of the middle-tier services and the tables they own, in the order they are taken.
    private static let servicePool: [(String, String)] = [
        ("auth-service", "tokens"), ("user-service", "users"), ("catalog-service", "products"), ("search-service", "documents"),
        ("cart-service", "carts"), ("order-service", "orders"), ("payment-service", "payments"),
        ("inventory-service", "stock"), ("pricing-service", "prices"), ("recommendation-service", "recommendations"),
        ("shipping-service", "shipments"), ("notification-service", "notifications"), ("review-service", "reviews"),
        ("fraud-service", "risk_scores"), ("loyalty-service", "points"), ("media-service", "images"),
        ("geo-service", "locations"), ("tax-service", "tax_rates"), ("coupon-service", "coupons"),
        ("email-service", "emails"), ("session-service", "sessions"), ("profile-service", "profiles"),
        ("wishlist-service", "wishlists"), ("currency-service", "rates"), ("analytics-service", "events"),
    ]
    private static let frontendPool = ["web-frontend", "mobile-bff", "partner-api"]
    private static let databasePool: [(String, String, UInt16)] = [
        ("postgres-main", "postgresql", 5432), ("mysql-users", "mysql", 3306), ("postgres-orders", "postgresql", 5432),
        ("cassandra-events", "cassandra", 9042), ("mysql-catalog", "mysql", 3306),
    ]
    private static let cachePool: [(String, String, UInt16)] = [("redis-cache", "redis", 6379), ("memcached", "memcached", 11211)]
    private static let pages: [(String, String)] = [
        ("GET", "/"), ("GET", "/product/{id}"), ("GET", "/search"), ("POST", "/checkout"), ("GET", "/account"),
        ("GET", "/cart"), ("POST", "/cart/items"),
    ]

    /// The topology for `services` nodes in all (backends included), clamped to 10…30.
    init(services: Int) {
        let n = min(30, max(10, services))
        var random = SplitMix64(seed: 0x7072_6163_6573 ^ UInt64(n))  // fixed: the graph is not part of the data seed
        let frontendCount = 1 + n / 12
        let backendCount = 3 + (n - 10) / 5
        let serviceCount = n - frontendCount - 1 - backendCount
        let cacheCount = backendCount >= 5 ? 2 : 1
        let databaseCount = backendCount - cacheCount - 1

        // Node indices are fixed before any operation is built, so calls can point forward.
        let gateway = frontendCount
        let firstService = gateway + 1
        let firstDatabase = firstService + serviceCount
        let firstCache = firstDatabase + databaseCount
        let broker = firstCache + cacheCount

        for i in 0..<frontendCount {
            addNode(Self.frontendPool[i], .frontend, block: 1, port: 8080, joins: i != 1, trace128: i == 0, &random)
        }
        addNode("api-gateway", .gateway, block: 2, port: 8443, joins: true, trace128: false, &random)
        for i in 0..<serviceCount {
            addNode(Self.servicePool[i].0, .service, block: 3, port: i % 3 == 0 ? 9000 : 8080, joins: i % 10 < 7, trace128: false, &random)
        }
        for i in 0..<databaseCount {
            let (name, system, port) = Self.databasePool[i]
            addNode(name, .database, block: 4, port: port, system: system, &random)
        }
        for i in 0..<cacheCount {
            let (name, system, port) = Self.cachePool[i]
            addNode(name, .cache, block: 5, port: port, system: system, &random)
        }
        addNode("kafka", .broker, block: 6, port: 9092, system: "kafka", &random)

        // Services, last first: a service's routes exist before anything that calls them is built.
        for i in (0..<serviceCount).reversed() {
            let node = firstService + i
            let table = Self.servicePool[i].1
            let database = firstDatabase + i % databaseCount
            let cache = firstCache + i % cacheCount
            let callees = Array((node + 1)..<firstDatabase)
            let producer = i > 0 && i % 3 == 1 && serviceCount - i > 2
            for (r, route) in Self.routes(table: table, count: i == 0 ? 1 : random.int(in: 2...4)).enumerated() {
                var calls: [Call] = []
                if i != 0 || r == 0 {
                    calls.append(
                        Call(.datastore(service: cache, operation: addCacheOperation(cache, table: table, &random)), probability: 0.6))
                }
                if i == 0 {
                    nodes[node].operations.append(operation(route, selfUs: 150, calls: calls))
                    continue
                }
                let statement = addStatement(database, table: table, method: route.0, &random)
                let nPlusOne = random.chance(0.15)
                calls.append(Call(.datastore(service: database, operation: statement), probability: 0.9, fanOut: nPlusOne ? 1...6 : 1...1))
                for _ in 0..<random.int(in: 0...2) where !callees.isEmpty {
                    let callee = callees[random.index(below: min(callees.count, 6))]
                    let routes = nodes[callee].operations.indices.filter { !nodes[callee].operations[$0].method.isEmpty }
                    let calleeRoute = routes[random.index(below: routes.count)]
                    let scatter = random.chance(0.2)
                    calls.append(
                        Call(
                            .http(service: callee, operation: calleeRoute), probability: 0.5 + 0.5 * random.unit(),
                            fanOut: scatter ? 1...4 : 1...1, parallel: scatter))
                }
                if producer && route.0 != "GET" {
                    let consumer = random.int(in: (i + 1)...(serviceCount - 1))
                    let target = addTopic(
                        broker, table: table, consumer: firstService + consumer, consumerTable: Self.servicePool[consumer].1,
                        database: firstDatabase + consumer % databaseCount, &random)
                    calls.append(Call(target, probability: 0.9))
                }
                if random.chance(0.25) { calls.append(Call(.local(name: "serialize-response"), probability: 0.5)) }
                nodes[node].operations.append(operation(route, selfUs: 100 + 900 * random.unit(), calls: calls))
            }
        }

        // The gateway exposes every route of every service behind an auth check.
        for service in (firstService + 1)..<firstDatabase {
            for (route, target) in nodes[service].operations.enumerated() where !target.method.isEmpty {
                nodes[gateway].operations.append(
                    operation(
                        (target.method, target.detail), selfUs: 80,
                        calls: [
                            Call(.http(service: firstService, operation: 0)),
                            Call(.http(service: service, operation: route)),
                        ]))
            }
        }
        let gatewayRoutes = nodes[gateway].operations.indices
        let writes = gatewayRoutes.filter { nodes[gateway].operations[$0].method != "GET" }
        for f in 0..<frontendCount {
            for page in Self.pages {
                var calls: [Call] = []
                for _ in 0..<random.int(in: 1...3) {
                    // A form post writes once, then reads what the next page shows.
                    let route =
                        page.0 == "POST" && calls.isEmpty
                        ? writes[random.index(below: writes.count)] : random.index(below: gatewayRoutes.count)
                    let scatter = random.chance(0.15)
                    calls.append(
                        Call(
                            .http(service: gateway, operation: route), probability: calls.isEmpty ? 1 : 0.7,
                            fanOut: scatter ? 1...3 : 1...1, parallel: scatter))
                }
                if page.0 == "GET" { calls.append(Call(.local(name: "render-template"), probability: 0.8)) }
                nodes[f].operations.append(operation(page, selfUs: 300 + 1500 * random.unit(), calls: calls))
            }
            frontends.append(f)
        }
    }

    private func operation(_ route: (String, String), selfUs: Double, calls: [Call]) -> Operation {
        Operation(name: "\(route.0.lowercased()) \(route.1)", method: route.0, detail: route.1, selfMedianUs: selfUs, calls: calls)
    }

    /// `count` REST routes over `table`, the first always a read by id.
    private static func routes(table: String, count: Int) -> [(String, String)] {
        let resource = table.replacingOccurrences(of: "_", with: "-")
        let all = [
            ("GET", "/api/v1/\(resource)/{id}"), ("POST", "/api/v1/\(resource)"), ("GET", "/api/v1/\(resource)"),
            ("PUT", "/api/v1/\(resource)/{id}"), ("DELETE", "/api/v1/\(resource)/{id}"),
        ]
        return Array(all.prefix(count))
    }

    private mutating func addNode(
        _ name: String, _ role: ServiceRole, block: UInt32, port: UInt16, joins: Bool = false, trace128: Bool = false,
        system: String = "", _ random: inout SplitMix64
    ) {
        let index = UInt32(nodes.count)
        let instances = (0..<random.int(in: 2...4)).map { 0x0A00_0000 | block << 16 | index << 8 | UInt32(10 + $0) }
        nodes.append(
            ServiceNode(
                name: name, role: role, instances: instances, port: port, joinsSpans: joins, traceId128: trace128,
                system: system, operations: []))
    }

    /// A statement on `table` matching an HTTP method; returns its operation index on the database node.
    private mutating func addStatement(_ database: Int, table: String, method: String, _ random: inout SplitMix64) -> Int {
        let (verb, text): (String, String)
        switch method {
        case "POST": (verb, text) = ("insert", "INSERT INTO \(table) (id, owner_id, payload, created_at) VALUES (?, ?, ?, ?)")
        case "PUT": (verb, text) = ("update", "UPDATE \(table) SET payload = ?, updated_at = ? WHERE id = ?")
        case "DELETE": (verb, text) = ("delete", "DELETE FROM \(table) WHERE id = ?")
        default: (verb, text) = ("select", "SELECT id, owner_id, payload, updated_at FROM \(table) WHERE id = ?")
        }
        return addOperation(
            database,
            Operation(
                name: "\(verb) \(table)", method: "", detail: text,
                selfMedianUs: verb == "select" ? 400 + 1200 * random.unit() : 1500 + 3000 * random.unit(), calls: []))
    }

    private mutating func addCacheOperation(_ cache: Int, table: String, _ random: inout SplitMix64) -> Int {
        addOperation(
            cache, Operation(name: "get", method: "", detail: "GET \(table):{id}", selfMedianUs: 120 + 100 * random.unit(), calls: []))
    }

    /// A topic on the broker and a handler on `consumer` that writes what it receives to its own database.
    private mutating func addTopic(
        _ broker: Int, table: String, consumer: Int, consumerTable: String, database: Int, _ random: inout SplitMix64
    ) -> Call.Target {
        let topic = "\(table)-events"
        let write = addStatement(database, table: consumerTable, method: "POST", &random)
        let handler = addOperation(
            consumer,
            Operation(
                name: "\(topic) process", method: "", detail: topic,
                selfMedianUs: 200 + 400 * random.unit(),
                calls: [Call(.datastore(service: database, operation: write), probability: 0.95)]))
        let index = addOperation(broker, Operation(name: "\(topic) publish", method: "", detail: topic, selfMedianUs: 600, calls: []))
        return .publish(broker: broker, topic: index, consumer: consumer, handler: handler)
    }

    /// Appends `op` to a node unless an operation of that name exists; returns its index.
    private mutating func addOperation(_ node: Int, _ op: Operation) -> Int {
        if let existing = nodes[node].operations.firstIndex(where: { $0.name == op.name && $0.detail == op.detail }) { return existing }
        nodes[node].operations.append(op)
        return nodes[node].operations.count - 1
    }
}
