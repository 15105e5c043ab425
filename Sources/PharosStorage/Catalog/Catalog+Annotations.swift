import Foundation
import GRDB
import PharosCore

/// OpenTSDB annotations in the `annotation` table (migration `v3-annotations`).
///
/// A row is keyed by the TSUID ('' for a global annotation) and the start time exactly as the client gave
/// it, seconds or milliseconds, as OpenTSDB keys its annotation cells; `startMs` and `endMs` are the span in
/// milliseconds (`endMs` is `startMs` without an end time) for range reads. `custom` is a JSON object of
/// strings, NULL when empty.
extension Catalog {
    /// OpenTSDB reads a start time with any of the upper 32 bits set as milliseconds, else as seconds
    /// (`Annotation.getQualifier`, `Const.SECOND_MASK`).
    static func annotationMilliseconds(_ startTime: Int64) -> Int64 {
        startTime > 0xFFFF_FFFF ? startTime : startTime &* 1000
    }

    func annotation(tsuid: String, startTime: Int64) throws(StorageError) -> Annotation? {
        try wrap("read annotation") {
            try pool.read { db in try Self.fetchAnnotation(db, tsuid: tsuid, startTime: startTime) }
        }
    }

    /// In one transaction, calls `merge` with the stored annotation (or nil) at each key and stores what
    /// it returns; nil from `merge` leaves that key untouched. Returns what is stored afterwards for each
    /// key whose merge returned a value.
    func mergeAnnotations(
        _ keys: [(tsuid: String, startTime: Int64)], _ merge: (Int, Annotation?) -> Annotation?
    ) throws(StorageError) -> [Annotation?] {
        try wrap("store \(keys.count) annotations") {
            try pool.write { db in
                var out: [Annotation?] = []
                for (index, key) in keys.enumerated() {
                    let existing = try Self.fetchAnnotation(db, tsuid: key.tsuid, startTime: key.startTime)
                    guard var note = merge(index, existing) else {
                        out.append(nil)
                        continue
                    }
                    note.tsuid = key.tsuid.isEmpty ? nil : key.tsuid
                    note.startTime = key.startTime
                    let startMs = Self.annotationMilliseconds(key.startTime)
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO annotation (tsuid, startTime, startMs, endMs, endTime, description, notes, custom)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            key.tsuid, key.startTime, startMs, max(startMs, Self.annotationMilliseconds(note.endTime ?? 0)),
                            note.endTime ?? 0, note.description, note.notes, Self.encodeCustom(note.custom),
                        ])
                    out.append(note)
                }
                return out
            }
        }
    }

    /// Deletes one annotation; false when there was none.
    func deleteAnnotation(tsuid: String, startTime: Int64) throws(StorageError) -> Bool {
        try wrap("delete annotation") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM annotation WHERE tsuid = ? AND startTime = ?", arguments: [tsuid, startTime])
                return db.changesCount > 0
            }
        }
    }

    /// Deletes the annotations of each TSUID ('' = global) starting in `startMs...endMs`; returns how many.
    func deleteAnnotations(tsuids: [String], startMs: Int64, endMs: Int64) throws(StorageError) -> Int {
        try wrap("delete annotations") {
            try pool.write { db in
                var deleted = 0
                for tsuid in tsuids {
                    try db.execute(
                        sql: "DELETE FROM annotation WHERE tsuid = ? AND startMs BETWEEN ? AND ?", arguments: [tsuid, startMs, endMs])
                    deleted += db.changesCount
                }
                return deleted
            }
        }
    }

    /// Annotations of the given TSUIDs ('' = global) whose span overlaps `startMs...endMs`, by start time
    /// then TSUID. Few TSUIDs are read through the (tsuid, startMs) index; many through the time index and a set.
    func annotations(tsuids: [String], startMs: Int64, endMs: Int64) throws(StorageError) -> [Annotation] {
        guard !tsuids.isEmpty, startMs <= endMs else { return [] }
        return try wrap("read annotations") {
            try pool.read { db in
                var out: [(Int64, Annotation)] = []
                if tsuids.count <= 32 {
                    let statement = try db.cachedStatement(sql: "\(Self.columns) WHERE tsuid = ? AND startMs <= ? AND endMs >= ?")
                    for tsuid in Set(tsuids) {
                        let rows = try Row.fetchCursor(statement, arguments: [tsuid, endMs, startMs])
                        while let row = try rows.next() { out.append((row[2], Self.decode(row))) }
                    }
                } else {
                    let wanted = Set(tsuids)
                    let rows = try Row.fetchCursor(
                        db, sql: "\(Self.columns) WHERE startMs <= ? AND endMs >= ?", arguments: [endMs, startMs])
                    while let row = try rows.next() {
                        if wanted.contains(row[0] as String) { out.append((row[2], Self.decode(row))) }
                    }
                }
                return out.sorted { ($0.0, $0.1.tsuid ?? "") < ($1.0, $1.1.tsuid ?? "") }.map(\.1)
            }
        }
    }

    private static let columns = "SELECT tsuid, startTime, startMs, endTime, description, notes, custom FROM annotation"

    private static func fetchAnnotation(_ db: Database, tsuid: String, startTime: Int64) throws -> Annotation? {
        try Row.fetchOne(db, sql: "\(columns) WHERE tsuid = ? AND startTime = ?", arguments: [tsuid, startTime]).map(decode)
    }

    private static func decode(_ row: Row) -> Annotation {
        let tsuid: String = row[0]
        let endTime: Int64 = row[3]
        return Annotation(
            startTime: row[1], endTime: endTime == 0 ? nil : endTime, tsuid: tsuid.isEmpty ? nil : tsuid, description: row[4],
            notes: row[5], custom: decodeCustom(row[6]))
    }

    private static func encodeCustom(_ custom: [String: String]) -> String? {
        guard !custom.isEmpty, let data = try? JSONSerialization.data(withJSONObject: custom, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decodeCustom(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
        return object
    }
}
