/// Tags collected the way OpenTSDB's `HashMap<String, String>` holds them, for exact error texts.
///
/// Keeps insertion order for Pharos and reproduces Java's `HashMap` iteration order (String.hashCode,
/// spread, power-of-two table grown at load factor 0.75) because OpenTSDB renders the map with
/// `AbstractMap.toString` (`{k1=v1, k2=v2}`) and validates tags in that order. A `nil` value is a
/// JSON `null`. Treeified buckets (8+ keys in one bucket of a 64+ table) are not modelled.
struct JavaTagMap {
    struct Entry {
        var key: String
        var value: String?
        /// The key or value came from bytes that were not valid UTF-8 (decoded with U+FFFD).
        var keyHadInvalidUTF8 = false
        var valueHadInvalidUTF8 = false
    }

    private(set) var entries: [Entry] = []
    /// Key → position, built once the map is past a handful of keys so that a hostile body with
    /// thousands of tags costs linear, not quadratic, time.
    private var positions: [String: Int]?

    var count: Int { entries.count }

    init() { entries.reserveCapacity(8) }

    func value(forKey key: String) -> String?? {
        guard let index = position(of: key) else { return .none }
        return .some(entries[index].value)
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// `HashMap.put`: replaces the value of an existing key in place, else appends.
    mutating func put(_ entry: Entry) {
        if let index = position(of: entry.key) {
            entries[index].value = entry.value
            entries[index].valueHadInvalidUTF8 = entry.valueHadInvalidUTF8
            return
        }
        entries.append(entry)
        if positions != nil {
            positions![entry.key] = entries.count - 1
        } else if entries.count > 16 {
            positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        }
    }

    /// The entries in the order Java's `HashMap` iterates them.
    var javaOrder: [Entry] {
        if entries.count < 2 { return entries }
        var capacity = 16
        while entries.count > capacity / 4 * 3 { capacity *= 2 }
        let mask = UInt32(capacity - 1)
        let keyed = entries.enumerated().map { (offset, entry) in
            (bucket: JavaTagMap.spreadHash(entry.key) & mask, offset: offset, entry: entry)
        }
        return keyed.sorted { ($0.bucket, $0.offset) < ($1.bucket, $1.offset) }.map(\.entry)
    }

    /// `AbstractMap.toString` over the Java iteration order: `{host=a, dc=b}`.
    var javaDescription: String {
        var out = "{"
        for (index, entry) in javaOrder.enumerated() {
            if index > 0 { out += ", " }
            out += entry.key
            out += "="
            out += entry.value ?? "null"
        }
        return out + "}"
    }

    /// Java `String.hashCode` followed by `HashMap.hash`'s high-bit spread.
    static func spreadHash(_ key: String) -> UInt32 {
        var h: UInt32 = 0
        for unit in key.utf16 { h = h &* 31 &+ UInt32(unit) }
        return h ^ (h >> 16)
    }
}
