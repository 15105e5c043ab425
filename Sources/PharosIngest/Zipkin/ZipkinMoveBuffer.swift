/// A decoder's scratch list of one span's tags or annotations, handed over as an array of exactly that
/// size by moving the elements, not copying them.
///
/// Why: appending to the span's own array grew it by doubling (a reallocation whenever a span had more tags
/// than the one before), and copying out of a reused array cost a retain and a release per string. Here
/// elements are initialised in one buffer that lives for the whole decode call, and `take()` moves them into
/// a new array with a single allocation. Not thread-safe; one per decode call.
final class ZipkinMoveBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Elements initialised at `base`.
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = capacity
        base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The elements as an array of their count (none allocated when empty); the buffer is left empty.
    @inline(__always)
    func take() -> [Element] {
        if count == 0 { return [] }
        var out: [Element] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append((base + i).move()) }
        count = 0
        return out
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
