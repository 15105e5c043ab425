import Synchronization

/// A monotonically increasing count, safe to bump from any thread without a lock.
public final class Counter: Sendable {
    private let storage = Atomic<Int64>(0)

    public init() {}

    public func add(_ amount: Int64) {
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    public var value: Int64 { storage.load(ordering: .relaxed) }
}

/// A value that goes up and down (series in the head, open connections).
public final class Gauge: Sendable {
    private let storage = Atomic<Int64>(0)

    public init() {}

    public func set(_ value: Int64) { storage.store(value, ordering: .relaxed) }
    public func add(_ amount: Int64) { storage.wrappingAdd(amount, ordering: .relaxed) }
    public var value: Int64 { storage.load(ordering: .relaxed) }
}
