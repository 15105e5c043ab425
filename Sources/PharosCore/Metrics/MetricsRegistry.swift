import Synchronization

/// The daemon's own metrics, rendered at `/metrics` in the Prometheus text format (version 0.0.4).
///
/// Parts register what they own once at start-up; rendering reads the live values.
public final class MetricsRegistry: Sendable {
    private enum Entry: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case gaugeFunction(@Sendable () -> Double)
        case histogram(Histogram)
    }

    private struct Family: Sendable {
        var name: String
        var help: String
        var labels: String
        var entry: Entry
    }

    private let families = Mutex<[Family]>([])

    public init() {}

    /// Registers a counter; `labels` is the rendered label set without braces, e.g. `kind="telnet"`.
    public func register(_ counter: Counter, name: String, help: String, labels: String = "") {
        add(Family(name: name, help: help, labels: labels, entry: .counter(counter)))
    }

    public func register(_ gauge: Gauge, name: String, help: String, labels: String = "") {
        add(Family(name: name, help: help, labels: labels, entry: .gauge(gauge)))
    }

    /// A gauge read from live state when `/metrics` is scraped.
    public func registerGauge(name: String, help: String, labels: String = "", _ read: @escaping @Sendable () -> Double) {
        add(Family(name: name, help: help, labels: labels, entry: .gaugeFunction(read)))
    }

    public func register(_ histogram: Histogram, name: String, help: String, labels: String = "") {
        add(Family(name: name, help: help, labels: labels, entry: .histogram(histogram)))
    }

    private func add(_ family: Family) {
        families.withLock { $0.append(family) }
    }

    public func render() -> String {
        let all = families.withLock { $0 }
        var out = ""
        var described = Set<String>()
        for family in all {
            let type: String
            switch family.entry {
            case .counter: type = "counter"
            case .gauge, .gaugeFunction: type = "gauge"
            case .histogram: type = "histogram"
            }
            if described.insert(family.name).inserted {
                out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(type)\n"
            }
            let braced = family.labels.isEmpty ? "" : "{\(family.labels)}"
            switch family.entry {
            case .counter(let counter): out += "\(family.name)\(braced) \(counter.value)\n"
            case .gauge(let gauge): out += "\(family.name)\(braced) \(gauge.value)\n"
            case .gaugeFunction(let read): out += "\(family.name)\(braced) \(Self.format(read()))\n"
            case .histogram(let histogram):
                let snapshot = histogram.snapshot()
                let prefix = family.labels.isEmpty ? "" : family.labels + ","
                for (bound, count) in zip(histogram.bounds, snapshot.cumulative) {
                    out += "\(family.name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(count)\n"
                }
                out += "\(family.name)_bucket{\(prefix)le=\"+Inf\"} \(snapshot.count)\n"
                out += "\(family.name)_sum\(braced) \(Self.format(snapshot.sum))\n"
                out += "\(family.name)_count\(braced) \(snapshot.count)\n"
            }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
