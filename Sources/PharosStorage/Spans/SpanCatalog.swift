import GRDB
import PharosCore

/// The SQLite index of sealed span partitions (`spans/index.sqlite`): trace fragments by trace id and by
/// time, (service, time, longest duration) rows for search, span and remote service names, autocomplete
/// values and the dependency links each partition contributes, by minute.
///
/// Thread-safe (GRDB's pool). Written once per sealed partition, in one transaction with the WAL position
/// the partition covers, so a crash leaves either the whole partition indexed or none of it.
final class SpanCatalog: Sendable {
    let pool: DatabasePool

    init(path: String) throws(StorageError) {
        do {
            pool = try DatabasePool(path: path)
            try Self.migrator.migrate(pool)
        } catch { throw StorageError(.io, "cannot open the span index \(path): \(error)") }
    }

    /// Append-only list of named schema steps; never edit a shipped step, add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-span-partitions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE spanPartition (
                        id INTEGER PRIMARY KEY,
                        fileName TEXT NOT NULL UNIQUE,
                        hourMs INTEGER NOT NULL,
                        minTimestampUs INTEGER NOT NULL,
                        maxTimestampUs INTEGER NOT NULL,
                        spanCount INTEGER NOT NULL,
                        byteSize INTEGER NOT NULL,
                        walBelow INTEGER NOT NULL);
                    CREATE TABLE spanTrace (
                        id INTEGER PRIMARY KEY,
                        traceLow INTEGER NOT NULL,
                        traceHigh INTEGER NOT NULL,
                        partitionId INTEGER NOT NULL,
                        block INTEGER NOT NULL,
                        timestampUs INTEGER NOT NULL,
                        maxDurationUs INTEGER NOT NULL);
                    CREATE INDEX spanTraceByLow ON spanTrace(traceLow);
                    CREATE INDEX spanTraceByTime ON spanTrace(timestampUs);
                    CREATE TABLE spanService (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                    CREATE TABLE spanTraceService (
                        serviceId INTEGER NOT NULL,
                        timestampUs INTEGER NOT NULL,
                        traceRow INTEGER NOT NULL,
                        maxDurationUs INTEGER NOT NULL,
                        PRIMARY KEY (serviceId, timestampUs, traceRow)) WITHOUT ROWID;
                    CREATE TABLE spanName (
                        partitionId INTEGER NOT NULL,
                        service TEXT NOT NULL,
                        remote INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        PRIMARY KEY (service, remote, name, partitionId)) WITHOUT ROWID;
                    CREATE TABLE spanTagValue (
                        partitionId INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (key, value, partitionId)) WITHOUT ROWID;
                    CREATE TABLE spanLink (
                        partitionId INTEGER NOT NULL,
                        minuteMs INTEGER NOT NULL,
                        parent TEXT NOT NULL,
                        child TEXT NOT NULL,
                        callCount INTEGER NOT NULL,
                        errorCount INTEGER NOT NULL);
                    CREATE INDEX spanLinkByMinute ON spanLink(minuteMs);
                    """)
        }
        migrator.registerMigration("v2-partition-sequence") { db in
            // Partition ids are never reused, even after retention removed every partition: a query holding
            // an old partition must not read rows of a new one with the same id.
            try db.execute(
                sql: """
                    CREATE TABLE spanSequence (next INTEGER NOT NULL);
                    INSERT INTO spanSequence SELECT COALESCE(MAX(id), 0) + 1 FROM spanPartition;
                    """)
        }
        return migrator
    }

    struct PartitionRow: Sendable {
        var id: Int64
        var fileName: String
        var hourMs: Int64
        var walBelow: UInt32
    }

    private func wrap<T>(_ what: String, _ body: () throws -> T) throws(StorageError) -> T {
        do { return try body() } catch { throw StorageError(.io, "span index: cannot \(what): \(error)") }
    }

    func partitions() throws(StorageError) -> [PartitionRow] {
        try wrap("read partitions") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, fileName, hourMs, walBelow FROM spanPartition ORDER BY id").map { row in
                    PartitionRow(id: row[0], fileName: row[1], hourMs: row[2], walBelow: UInt32(clamping: row[3] as Int64))
                }
            }
        }
    }

    func nextPartitionID() throws(StorageError) -> Int64 {
        try wrap("read partition ids") {
            try pool.read { db in try Int64.fetchOne(db, sql: "SELECT next FROM spanSequence") ?? 1 }
        }
    }

    /// Indexes one sealed partition, with the WAL segment below which every span is now in partitions.
    func commit(_ row: PartitionRow, _ summary: SpanPartitionWriter.Summary) throws(StorageError) {
        try wrap("index span partition \(row.fileName)") {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO spanPartition VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        row.id, row.fileName, row.hourMs, summary.minTimestampUs == .max ? 0 : summary.minTimestampUs,
                        summary.maxTimestampUs == .min ? 0 : summary.maxTimestampUs, summary.spanCount, summary.byteSize,
                        Int64(row.walBelow),
                    ])
                try db.execute(sql: "UPDATE spanSequence SET next = MAX(next, ?)", arguments: [row.id + 1])
                var serviceIDs: [String: Int64] = [:]
                for (id, name) in try Row.fetchAll(db, sql: "SELECT id, name FROM spanService").map({ ($0[0] as Int64, $0[1] as String) }) {
                    serviceIDs[name] = id
                }
                let insertTrace = try db.makeStatement(sql: "INSERT INTO spanTrace VALUES (NULL, ?, ?, ?, ?, ?, ?)")
                let insertService = try db.makeStatement(sql: "INSERT OR REPLACE INTO spanTraceService VALUES (?, ?, ?, ?)")
                let newService = try db.makeStatement(sql: "INSERT INTO spanService (name) VALUES (?)")
                for trace in summary.traces {
                    try insertTrace.execute(arguments: [
                        Int64(bitPattern: trace.low), Int64(bitPattern: trace.high), row.id, trace.block, trace.timestampUs,
                        trace.maxDurationUs,
                    ])
                    let traceRow = db.lastInsertedRowID
                    for (service, duration) in trace.services {
                        var serviceID = serviceIDs[service]
                        if serviceID == nil {
                            try newService.execute(arguments: [service])
                            serviceID = db.lastInsertedRowID
                            serviceIDs[service] = serviceID
                        }
                        try insertService.execute(arguments: [serviceID!, trace.timestampUs, traceRow, duration])
                    }
                }
                let insertName = try db.makeStatement(sql: "INSERT OR IGNORE INTO spanName VALUES (?, ?, ?, ?)")
                for (service, names) in summary.spanNames {
                    for name in names { try insertName.execute(arguments: [row.id, service, 0, name]) }
                }
                for (service, remotes) in summary.remoteServices {
                    for remote in remotes { try insertName.execute(arguments: [row.id, service, 1, remote]) }
                }
                let insertValue = try db.makeStatement(sql: "INSERT OR IGNORE INTO spanTagValue VALUES (?, ?, ?)")
                for (key, values) in summary.autocomplete {
                    for value in values { try insertValue.execute(arguments: [row.id, key, value]) }
                }
                let insertLink = try db.makeStatement(sql: "INSERT INTO spanLink VALUES (?, ?, ?, ?, ?, ?)")
                for (minute, links) in summary.links {
                    for link in links {
                        try insertLink.execute(arguments: [row.id, minute, link.parent, link.child, link.callCount, link.errorCount])
                    }
                }
            }
        }
    }

    /// Removes a partition's rows (retention).
    func remove(partition id: Int64) throws(StorageError) {
        try wrap("remove span partition \(id)") {
            try pool.write { db in
                // One statement per execute: GRDB binds the arguments to the first statement of a batch only.
                for sql in [
                    "DELETE FROM spanTraceService WHERE traceRow IN (SELECT id FROM spanTrace WHERE partitionId = ?)",
                    "DELETE FROM spanTrace WHERE partitionId = ?", "DELETE FROM spanName WHERE partitionId = ?",
                    "DELETE FROM spanTagValue WHERE partitionId = ?", "DELETE FROM spanLink WHERE partitionId = ?",
                    "DELETE FROM spanPartition WHERE id = ?",
                ] { try db.execute(sql: sql, arguments: [id]) }
            }
        }
    }
}
