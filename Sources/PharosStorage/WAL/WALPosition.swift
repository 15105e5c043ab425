/// A place in the write-ahead log: segment index, then byte offset inside it. Orders records.
struct WALPosition: Comparable, Sendable, Hashable {
    var segment: UInt32
    var offset: Int64

    static func < (lhs: WALPosition, rhs: WALPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }
}
