import Foundation
import GRDB
import SluiceAudit

extension AuditBundle {
    /// The stored entries of one bundle row read as ``columns``, from `start` through `end`, and only
    /// those whose text holds every one of `needles`.
    static func entries(
        of row: Row, from start: UInt64 = 0, through end: UInt64 = .max, containing needles: [[UInt8]] = []
    ) throws -> [StoredAuditEntry] {
        let first = UInt64(row[0] as Int64)
        // The entries are looked at in place, and the leaf hashes copied only for a bundle
        // that may match: most bundles a filtered query reads hold nothing it wants.
        return try row.withUnsafeData(atIndex: 5) { text -> [StoredAuditEntry] in
            (text ?? Data()).withUnsafeBytes { bytes in
                entries(in: bytes, first: first, hashes: row[4] ?? Data(), from: start, through: end, containing: needles)
            }
        }
    }
}

/// Moves a log written one row per entry (schema 1) into bundles, once, when the schema
/// is upgraded: runs of consecutive sequences become bundles as long as appends make, a
/// gap (entries already deleted) starts a new bundle so `verify` still finds it, and an
/// entry's recorded leaf hash moves with it unchanged — a malformed one (not 32 bytes) is
/// stored as zeros, which no entry hashes to, so `verify` still reports that entry.
enum AuditBundleMigration {
    static func copyEntries(_ db: Database) throws {
        let insert = try db.makeStatement(
            sql: "INSERT INTO audit_bundles(first, count, min_time, max_time, leaf_hashes, entries) VALUES (?, ?, ?, ?, ?, ?)")
        var first: Int64?
        var next: Int64 = 0
        var count = 0
        var times: (min: String, max: String) = ("", "")
        var hashes = Data()
        var entries = Data()
        func flush() throws {
            guard let start = first, count > 0 else { return }
            try insert.execute(arguments: [start, count, times.min, times.max, hashes, String(decoding: entries, as: UTF8.self)])
            first = nil
            count = 0
            hashes.removeAll(keepingCapacity: true)
            entries.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT sequence, entry, leaf_hash, time FROM audit_entries ORDER BY sequence")
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            if first != nil, sequence != next || count == AuditBundle.largest { try flush() }
            let time: String = row[3] ?? ""
            if first == nil {
                first = sequence
                times = (time, time)
            }
            times = (min(times.min, time), max(times.max, time))
            let leaf: Data = row[2] ?? Data()
            hashes.append(leaf.count == 32 ? leaf : Data(count: 32))
            entries.append(contentsOf: (row[1] as String? ?? "").utf8)
            entries.append(0x0A)
            count += 1
            next = sequence + 1
        }
        try flush()
    }
}
