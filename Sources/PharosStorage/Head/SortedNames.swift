/// A set of names kept in UTF-8 byte order for prefix search, grown in batches.
///
/// New names go to `pending` in O(1); the next read sorts the batch and merges it into `sorted`
/// (O(n + k log k)), so a burst of new series costs one merge instead of one shifting insert each.
/// Byte order is what OpenTSDB's `/api/suggest` returns: it scans its UID table by name bytes.
///
/// Not thread-safe; `SeriesLookupIndex` owns it under its lock.
struct SortedNames {
    private(set) var known = Set<String>()
    private var sorted: [String] = []
    private var pending: [String] = []

    var count: Int { known.count }

    func contains(_ name: String) -> Bool { known.contains(name) }

    mutating func insert(_ name: String) {
        if known.insert(name).inserted { pending.append(name) }
    }

    /// Up to `max` names that start with `prefix` (byte-wise), in byte order.
    mutating func withPrefix(_ prefix: String, max: Int) -> [String] {
        settle()
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if Self.precedes(sorted[mid], prefix) { low = mid + 1 } else { high = mid }
        }
        var out: [String] = []
        var index = low
        while index < sorted.count && out.count < max && sorted[index].utf8.starts(with: prefix.utf8) {
            out.append(sorted[index])
            index += 1
        }
        return out
    }

    private mutating func settle() {
        guard !pending.isEmpty else { return }
        pending.sort(by: Self.precedes)
        var merged: [String] = []
        merged.reserveCapacity(sorted.count + pending.count)
        var i = 0
        var j = 0
        while i < sorted.count && j < pending.count {
            if Self.precedes(sorted[i], pending[j]) {
                merged.append(sorted[i])
                i += 1
            } else {
                merged.append(pending[j])
                j += 1
            }
        }
        merged.append(contentsOf: sorted[i...])
        merged.append(contentsOf: pending[j...])
        sorted = merged
        pending.removeAll()
    }

    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
