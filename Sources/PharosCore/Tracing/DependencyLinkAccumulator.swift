/// Sums dependency links per `(parent, child)` edge, for storage that links trace after trace.
///
/// A value type with no shared state: own one per sealing job (or guard it with a lock). Adding is one
/// dictionary update per link; `links` sorts once, by parent then child in Java's `String.compareTo` order
/// (the order Pharos serves `/api/v2/dependencies` in, independent of the order traces were added).
///
/// ```swift
/// var day = DependencyLinkAccumulator()
/// for trace in tracesOfTheDay { day.add(DependencyLinker.links(inTrace: trace)) }
/// let rows = day.links   // one row per edge
/// ```
public struct DependencyLinkAccumulator: Sendable {
    private var counts: [DependencyEdge: DependencyCounts] = [:]

    /// An empty accumulator.
    public init() {}

    /// True when no link has been added.
    public var isEmpty: Bool { counts.isEmpty }

    /// Adds the counts of every link to its edge. Counts saturate at `Int64.max` instead of trapping, so a
    /// corrupt stored row cannot bring the daemon down.
    public mutating func add(_ links: [DependencyLink]) {
        for link in links { add(link) }
    }

    /// Takes links back out: storage that linked part of a trace and later sees the rest subtracts the
    /// part's links and adds the whole trace's, so stored sums stay those of whole traces.
    public mutating func subtract(_ links: [DependencyLink]) {
        for link in links {
            add(DependencyLink(parent: link.parent, child: link.child, callCount: -link.callCount, errorCount: -link.errorCount))
        }
    }

    /// Adds one link's counts to its edge.
    public mutating func add(_ link: DependencyLink) {
        let edge = DependencyEdge(parent: link.parent, child: link.child)
        counts[edge, default: DependencyCounts()].add(calls: link.callCount, errors: link.errorCount)
    }

    /// One link per edge with the summed counts (edges that sum to zero left out), sorted by parent then child.
    public var links: [DependencyLink] {
        var result: [DependencyLink] = []
        result.reserveCapacity(counts.count)
        for (edge, sum) in counts where sum.calls != 0 || sum.errors != 0 {
            result.append(DependencyLink(parent: edge.parent, child: edge.child, callCount: sum.calls, errorCount: sum.errors))
        }
        result.sort { l, r in
            if l.parent != r.parent { return JavaStringOrder.precedes(l.parent, r.parent) }
            return JavaStringOrder.precedes(l.child, r.child)
        }
        return result
    }
}

/// The key of one service-graph edge.
struct DependencyEdge: Hashable, Sendable {
    var parent: String
    var child: String
}

/// Call and error counts of one edge, saturating instead of overflowing.
struct DependencyCounts: Sendable {
    var calls: Int64 = 0
    var errors: Int64 = 0

    mutating func add(calls moreCalls: Int64, errors moreErrors: Int64) {
        calls = Self.saturatingSum(calls, moreCalls)
        errors = Self.saturatingSum(errors, moreErrors)
    }

    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
