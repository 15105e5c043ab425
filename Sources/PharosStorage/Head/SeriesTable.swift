import PharosCore
/// Dense storage of `MemSeries` by id: pages of 65,536 slots that never move, so a reader holding an id
/// (handed out under the registry lock) finds its series without taking any lock.
final class SeriesTable: @unchecked Sendable {
    static let pageBits = 16
    static let pageSize = 1 << pageBits
    static let maxPages = 1 << 16

    private let pages: UnsafeMutablePointer<UnsafeMutablePointer<MemSeries?>?>

    init() {
        pages = .allocate(capacity: Self.maxPages)
        pages.initialize(repeating: nil, count: Self.maxPages)
    }

    /// Stores `series` at its id; callers hold the registry lock.
    func insert(_ series: MemSeries) {
        let page = Int(series.id) >> Self.pageBits
        precondition(page < Self.maxPages, "BUG: series id \(series.id) beyond the table")
        if pages[page] == nil {
            let slots = UnsafeMutablePointer<MemSeries?>.allocate(capacity: Self.pageSize)
            slots.initialize(repeating: nil, count: Self.pageSize)
            pages[page] = slots
        }
        pages[page]![Int(series.id) & (Self.pageSize - 1)] = series
    }

    @inline(__always)
    subscript(id: UInt32) -> MemSeries? {
        guard let page = pages[Int(id) >> Self.pageBits] else { return nil }
        return page[Int(id) & (Self.pageSize - 1)]
    }

    /// Runs `body` with the series without retaining it: the table never removes a series, so the
    /// reference stays valid. For the per-point append path, where refcounting showed in profiles.
    @inline(__always)
    func withSeries<T>(_ id: UInt32, _ body: (MemSeries) -> T) -> T? {
        guard let page = pages[Int(id) >> Self.pageBits] else { return nil }
        let slot = page + (Int(id) & (Self.pageSize - 1))
        return slot.withMemoryRebound(to: Unmanaged<MemSeries>?.self, capacity: 1) { pointer in
            guard let unmanaged = pointer.pointee else { return nil }
            return unmanaged._withUnsafeGuaranteedRef { body($0) }
        }
    }

    deinit {
        for index in 0..<Self.maxPages {
            if let page = pages[index] {
                page.deinitialize(count: Self.pageSize)
                page.deallocate()
            }
        }
        pages.deallocate()
    }
}
