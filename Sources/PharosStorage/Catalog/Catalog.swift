import GRDB
import PharosCore

/// The SQLite side of the store: the series catalog (ids, keys, tags) and the index rows of every sealed
/// partition. SQLite runs in WAL mode; GRDB's pool serialises writers and lets readers run beside them.
///
/// Thread-safe. Never on the per-point path: series are written in batches, partitions once when sealed.
final class Catalog: Sendable {
    let pool: DatabasePool
    let path: String

    init(path: String) throws(StorageError) {
        self.path = path
        do {
            if !FileIO.exists(path) {
                // auto_vacuum only takes before the first table and outside WAL mode, so a new catalog is
                // created in rollback mode first; it lets compaction give freed pages back to the file system.
                let creator = try DatabaseQueue(path: path)
                try creator.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE pharosCatalog (version INTEGER)")
                }
                try creator.close()
            }
            pool = try DatabasePool(path: path)
            try Self.migrator.migrate(pool)
        } catch {
            throw StorageError(.io, "cannot open the catalog \(path): \(error)")
        }
    }

    /// Append-only list of named schema steps; never edit a shipped step, add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-series-and-partitions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        metric TEXT NOT NULL,
                        canonicalKey TEXT NOT NULL);
                    CREATE TABLE seriesTag (
                        seriesId INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (seriesId, key)) WITHOUT ROWID;
                    CREATE INDEX seriesTagByKeyValue ON seriesTag(key, value);
                    CREATE TABLE partition (
                        id INTEGER PRIMARY KEY,
                        startMs INTEGER NOT NULL,
                        endMs INTEGER NOT NULL,
                        fileName TEXT NOT NULL UNIQUE,
                        seriesCount INTEGER NOT NULL,
                        pointCount INTEGER NOT NULL,
                        byteSize INTEGER NOT NULL,
                        createdAtMs INTEGER NOT NULL);
                    CREATE TABLE chunkIndex (
                        partitionId INTEGER NOT NULL,
                        seriesId INTEGER NOT NULL,
                        pageOffset INTEGER NOT NULL,
                        offsetInPage INTEGER NOT NULL,
                        byteLength INTEGER NOT NULL,
                        minTimestampMs INTEGER NOT NULL,
                        maxTimestampMs INTEGER NOT NULL,
                        pointCount INTEGER NOT NULL,
                        PRIMARY KEY (partitionId, seriesId)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-sealed-marks") { db in
            // Per window start, the WAL position up to which that window's points are in partitions.
            try db.execute(
                sql: """
                    CREATE TABLE sealedMark (
                        windowStartMs INTEGER PRIMARY KEY,
                        segment INTEGER NOT NULL,
                        offset INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v3-annotations") { db in
            // OpenTSDB annotations keyed by (tsuid, startTime as given); '' is a global annotation. startMs and
            // endMs (at least startMs) are the span in milliseconds, for range reads (see Catalog+Annotations.swift).
            try db.execute(
                sql: """
                    CREATE TABLE annotation (
                        tsuid TEXT NOT NULL,
                        startTime INTEGER NOT NULL,
                        startMs INTEGER NOT NULL,
                        endMs INTEGER NOT NULL,
                        endTime INTEGER NOT NULL,
                        description TEXT NOT NULL,
                        notes TEXT NOT NULL,
                        custom TEXT,
                        PRIMARY KEY (tsuid, startTime)) WITHOUT ROWID;
                    CREATE INDEX annotationBySeriesTime ON annotation(tsuid, startMs);
                    CREATE INDEX annotationByTime ON annotation(startMs);
                    """)
        }
        return migrator
    }

    func wrap<T>(_ what: String, _ body: () throws -> T) throws(StorageError) -> T {
        do { return try body() } catch let error as StorageError { throw error } catch {
            throw StorageError(.io, "catalog \(path): cannot \(what): \(error)")
        }
    }

    // MARK: series

    func loadSeries() throws(StorageError) -> [(UInt32, String)] {
        try wrap("load series") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, canonicalKey FROM series ORDER BY id").map { row in
                    (UInt32(row[0] as Int64), row[1] as String)
                }
            }
        }
    }

    func insertSeries(_ series: [(UInt32, SeriesKey)]) throws(StorageError) {
        guard !series.isEmpty else { return }
        try wrap("persist \(series.count) series") {
            try pool.write { db in
                let insertSeries = try db.makeStatement(
                    sql: "INSERT OR IGNORE INTO series (id, metric, canonicalKey) VALUES (?, ?, ?)")
                let insertTag = try db.makeStatement(sql: "INSERT OR IGNORE INTO seriesTag (seriesId, key, value) VALUES (?, ?, ?)")
                for (id, key) in series {
                    insertSeries.setUncheckedArguments([Int64(id), key.metric, key.description])
                    try insertSeries.execute()
                    for tag in key.tags {
                        insertTag.setUncheckedArguments([Int64(id), tag.key, tag.value])
                        try insertTag.execute()
                    }
                }
            }
        }
    }

    // MARK: partitions

    struct PartitionRecord: Sendable {
        var id: Int64
        var startMs: Int64
        var endMs: Int64
        var fileName: String
        var seriesCount: Int
        var pointCount: Int64
        var byteSize: Int64
    }

    /// The next partition id; ids also order partitions by age for last-write-wins.
    func maxPartitionID() throws(StorageError) -> Int64 {
        try wrap("read partition ids") { try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM partition") ?? 0 } }
    }

    func loadPartitions() throws(StorageError) -> [(PartitionRecord, [PartitionIndexEntry])] {
        try wrap("load partitions") {
            try pool.read { db in
                let records = try Row.fetchAll(
                    db, sql: "SELECT id, startMs, endMs, fileName, seriesCount, pointCount, byteSize FROM partition ORDER BY id"
                ).map { row in
                    PartitionRecord(
                        id: row[0], startMs: row[1], endMs: row[2], fileName: row[3], seriesCount: row[4], pointCount: row[5],
                        byteSize: row[6])
                }
                var entriesByPartition: [Int64: [PartitionIndexEntry]] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT partitionId, seriesId, pageOffset, offsetInPage, byteLength, minTimestampMs, maxTimestampMs, pointCount
                        FROM chunkIndex ORDER BY partitionId, seriesId
                        """)
                while let row = try rows.next() {
                    let entry = PartitionIndexEntry(
                        seriesID: UInt32(row[1] as Int64), pageOffset: row[2], offsetInPage: Int32(row[3] as Int64),
                        byteLength: Int32(row[4] as Int64), minTimestampMs: row[5], maxTimestampMs: row[6],
                        pointCount: Int32(row[7] as Int64))
                    entriesByPartition[row[0], default: []].append(entry)
                }
                return records.map { ($0, entriesByPartition[$0.id] ?? []) }
            }
        }
    }

    /// Records a new partition and forgets `replacing` in one transaction, so a crash leaves either the
    /// old set or the new one.
    func commitPartition(
        _ record: PartitionRecord, entries: [PartitionIndexEntry], replacing: [Int64], sealedMark: (Int64, WALPosition)? = nil
    ) throws(StorageError) {
        try wrap("record partition \(record.fileName)") {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO partition (id, startMs, endMs, fileName, seriesCount, pointCount, byteSize, createdAtMs)
                        VALUES (?, ?, ?, ?, ?, ?, ?, CAST(strftime('%s','now') AS INTEGER) * 1000)
                        """,
                    arguments: [
                        record.id, record.startMs, record.endMs, record.fileName, record.seriesCount, record.pointCount, record.byteSize,
                    ])
                let insert = try db.makeStatement(
                    sql: """
                        INSERT INTO chunkIndex (partitionId, seriesId, pageOffset, offsetInPage, byteLength, minTimestampMs,
                        maxTimestampMs, pointCount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for entry in entries {
                    insert.setUncheckedArguments([
                        record.id, Int64(entry.seriesID), entry.pageOffset, Int64(entry.offsetInPage), Int64(entry.byteLength),
                        entry.minTimestampMs, entry.maxTimestampMs, Int64(entry.pointCount),
                    ])
                    try insert.execute()
                }
                try deletePartitions(db, replacing)
                if let (windowStart, mark) = sealedMark {
                    try db.execute(
                        sql: """
                            INSERT INTO sealedMark (windowStartMs, segment, offset) VALUES (?, ?, ?)
                            ON CONFLICT(windowStartMs) DO UPDATE SET segment = excluded.segment, offset = excluded.offset
                            WHERE (excluded.segment, excluded.offset) > (segment, offset)
                            """,
                        arguments: [windowStart, Int64(mark.segment), mark.offset])
                }
            }
        }
    }

    /// Window start → WAL position before which that window's points are sealed (see `HeadWindow.sealMark`).
    func loadSealedMarks() throws(StorageError) -> [Int64: WALPosition] {
        try wrap("load sealed marks") {
            try pool.read { db in
                var marks: [Int64: WALPosition] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT windowStartMs, segment, offset FROM sealedMark") {
                    marks[row[0]] = WALPosition(segment: UInt32(row[1] as Int64), offset: row[2])
                }
                return marks
            }
        }
    }

    func removePartitions(_ ids: [Int64]) throws(StorageError) {
        guard !ids.isEmpty else { return }
        try wrap("remove partitions") { try pool.write { db in try deletePartitions(db, ids) } }
    }

    private func deletePartitions(_ db: Database, _ ids: [Int64]) throws {
        for id in ids {
            try db.execute(sql: "DELETE FROM chunkIndex WHERE partitionId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM partition WHERE id = ?", arguments: [id])
        }
    }

    /// Folds the SQLite WAL back into the database file and returns freed pages, so the data directory's
    /// size is what the data needs (benchmarks measure it right after a flush).
    func compactFile() {
        _ = try? pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA incremental_vacuum")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
