/// One edge of the service graph (Zipkin's `DependencyLink`): how often `parent` called `child`, and how
/// many of those calls failed.
///
/// Value type; share freely across threads. Counts are per edge, summed over the traces that were linked
/// (`DependencyLinker.links(inTrace:)` for one trace, `DependencyLinkAccumulator` or
/// `DependencyLinker.merge(_:)` across traces). JSON field names match Zipkin's `/api/v2/dependencies`.
public struct DependencyLink: Sendable, Hashable {
    /// The calling service (lower-case service name, as stored on spans).
    public var parent: String
    /// The called service.
    public var child: String
    /// How many calls were seen on this edge; at least 1 for a link the linker produced.
    public var callCount: Int64
    /// How many of those calls carried an `error` tag; never more than `callCount`.
    public var errorCount: Int64

    /// A link; `errorCount` defaults to 0 as in Zipkin's builder.
    public init(parent: String, child: String, callCount: Int64, errorCount: Int64 = 0) {
        self.parent = parent
        self.child = child
        self.callCount = callCount
        self.errorCount = errorCount
    }
}
