import GRDB
import PharosCore

extension SpanCatalog {
    /// Where the fragments of trace `low` are: (partition, block).
    func fragments(low: UInt64) throws(StorageError) -> [(partition: Int64, block: Int)] {
        try read("find trace fragments") { db in
            try Row.fetchAll(db, sql: "SELECT partitionId, block FROM spanTrace WHERE traceLow = ?", arguments: [Int64(bitPattern: low)])
                .map { (partition: $0[0] as Int64, block: $0[1] as Int) }
        }
    }

    /// Where the fragments of each of `lows` are, looked up 500 ids per statement.
    func fragments(lows: some Collection<UInt64>) throws(StorageError) -> [(low: UInt64, partition: Int64, block: Int)] {
        var found: [(low: UInt64, partition: Int64, block: Int)] = []
        let all = Array(lows)
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = all[start..<min(start + 500, all.count)].map { Int64(bitPattern: $0) }
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            found += try read("find trace fragments") { db in
                try Row.fetchAll(
                    db, sql: "SELECT traceLow, partitionId, block FROM spanTrace WHERE traceLow IN (\(marks))",
                    arguments: StatementArguments(chunk)
                ).map { (low: UInt64(bitPattern: $0[0] as Int64), partition: $0[1] as Int64, block: $0[2] as Int) }
            }
        }
        return found
    }

    /// Search candidates, newest fragment first: trace ids whose fragment has a span of `service` (any span when
    /// nil) no shorter than `minDurationUs`, with the fragment's timestamp in `[fromUs, toUs]`. `visit` returns
    /// false to stop early. Rows are read a page at a time (keyset paging), and `visit` runs between reads,
    /// so it may read the index itself.
    func candidates(
        service: String?, fromUs: Int64, toUs: Int64, minDurationUs: Int64,
        _ visit: (_ high: UInt64, _ low: UInt64, _ partition: Int64, _ timestampUs: Int64) throws(StorageError) -> Bool
    ) throws(StorageError) {
        var after: (timestampUs: Int64, row: Int64) = (toUs, Int64.max)
        let page = 256
        while true {
            let rows = try read("search traces") { db in
                if let service {
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT t.traceHigh, t.traceLow, t.partitionId, s.timestampUs, s.traceRow FROM spanTraceService s
                            JOIN spanTrace t ON t.id = s.traceRow
                            WHERE s.serviceId = (SELECT id FROM spanService WHERE name = ?) AND s.timestampUs >= ?
                              AND (s.timestampUs, s.traceRow) < (?, ?) AND s.maxDurationUs >= ?
                            ORDER BY s.timestampUs DESC, s.traceRow DESC LIMIT ?
                            """, arguments: [service, fromUs, after.timestampUs, after.row, minDurationUs, page])
                } else {
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT traceHigh, traceLow, partitionId, timestampUs, id FROM spanTrace
                            WHERE timestampUs >= ? AND (timestampUs, id) < (?, ?) AND maxDurationUs >= ?
                            ORDER BY timestampUs DESC, id DESC LIMIT ?
                            """, arguments: [fromUs, after.timestampUs, after.row, minDurationUs, page])
                }
            }
            for row in rows {
                let high = UInt64(bitPattern: row[0] as Int64), low = UInt64(bitPattern: row[1] as Int64)
                if !(try visit(high, low, row[2], row[3])) { return }
            }
            guard rows.count == page, let last = rows.last else { return }
            after = (last[3], last[4])
        }
    }

    /// Local service names with spans in partitions.
    func serviceNames() throws(StorageError) -> [String] {
        try read("list services") { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM spanService s WHERE EXISTS (SELECT 1 FROM spanTraceService WHERE serviceId = s.id)")
        }
    }

    /// Span names (`remote` false) or remote service names (`remote` true) seen with local `service`.
    func names(service: String, remote: Bool) throws(StorageError) -> [String] {
        try read("list names") { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT name FROM spanName WHERE service = ? AND remote = ?", arguments: [service, remote ? 1 : 0])
        }
    }

    func autocompleteValues(key: String) throws(StorageError) -> [String] {
        try read("list autocomplete values") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT value FROM spanTagValue WHERE key = ?", arguments: [key])
        }
    }

    /// Links of traces whose timestamp's minute starts in `[fromMinuteMs, toMinuteMs]`, from `partitions` only.
    func links(fromMinuteMs: Int64, toMinuteMs: Int64, partitions: [Int64: SpanPartition]) throws(StorageError) -> [DependencyLink] {
        try read("read dependency links") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT partitionId, parent, child, callCount, errorCount FROM spanLink WHERE minuteMs BETWEEN ? AND ?",
                arguments: [fromMinuteMs, toMinuteMs]
            ).compactMap { row in
                partitions[row[0]] != nil ? DependencyLink(parent: row[1], child: row[2], callCount: row[3], errorCount: row[4]) : nil
            }
        }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(StorageError) -> T {
        do { return try pool.read(body) } catch { throw StorageError(.io, "span index: cannot \(what): \(error)") }
    }
}
