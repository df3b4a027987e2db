import Foundation
import GRDB
import SluiceAudit

/// ``AuditLog`` on the SQLite tables `audit_bundles`, `audit_subtrees` and
/// `audit_checkpoints`.
///
/// Appending costs O(log n) point reads and amortised two inserts; roots and proofs
/// are built from stored complete-subtree hashes, O(log² n) point reads at most.
struct SQLiteAuditLog: AuditLog {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// The number of entries, which is also the next entry's sequence.
    func size() throws -> UInt64 {
        // The last bundle is read from the end of the primary key's b-tree, O(log n).
        let end = try Int64.fetchOne(db.cachedStatement(sql: "SELECT first + count FROM audit_bundles ORDER BY first DESC LIMIT 1"))
        return end.map { UInt64($0) } ?? 0
    }

    /// Appends `event` as the next entry, stamped with `time`. (Several appends in one
    /// transaction go through ``AuditTrail/Transaction``, which reads the tree's edge once.)
    @discardableResult
    func append(_ event: AuditEvent, at time: Date) throws -> AuditEntry {
        var appender = try AuditAppender(SQLiteAuditTail(db), time: time)
        return try appender.append(event)
    }

    /// The tree of the first `size` entries, over the stored hashes.
    func tree(size: UInt64) throws -> MerkleTree {
        let subtrees = try StoredSubtrees(SQLiteAuditTail(db))
        return MerkleTree(size: size) { level, index in try subtrees.hash(level: level, index: index) }
    }

    // MARK: Entries

    /// The stored text of one entry, exactly as hashed.
    func entry(at sequence: UInt64) throws -> StoredAuditEntry? {
        guard sequence <= UInt64(Int64.max),
            let row = try Row.fetchOne(
                db, sql: "SELECT \(AuditBundle.columns) FROM audit_bundles WHERE first <= ? ORDER BY first DESC LIMIT 1",
                arguments: [Int64(sequence)])
        else { return nil }
        return try AuditBundle.entries(of: row, from: sequence, through: sequence).first
    }

    /// Calls `body` with each entry matching `filter`, in the filter's order, up to its
    /// limit, without holding them all: summaries over a long period read this way.
    func forEachEntry(matching filter: AuditFilter, _ body: (StoredAuditEntry) throws -> Void) throws {
        var walk = AuditFilterWalk(filter)
        guard !walk.isDone else { return }
        let (sql, arguments) = filter.bundleQuery()
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            // The entries are looked at in place, and the leaf hashes copied only for a
            // bundle that may match: most bundles a filtered query reads hold nothing it wants.
            let going = try row.withUnsafeData(atIndex: 5) { text in
                try (text ?? Data()).withUnsafeBytes { text in
                    try walk.visit(first: UInt64(row[0] as Int64), hashes: row[4] ?? Data(), text: text, body)
                }
            }
            guard going else { return }
        }
    }

    /// Calls `body` with every entry from `start`, in order, without holding them all.
    func forEachEntry(from start: UInt64, _ body: (StoredAuditEntry) throws -> Void) throws {
        let (sql, arguments) = AuditFilter(fromSequence: start).bundleQuery()
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            for entry in try AuditBundle.entries(of: row, from: start) { try body(entry) }
        }
    }

    // MARK: Checkpoints

    func latestCheckpoint() throws -> StoredCheckpoint? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1"))
            .map(StoredCheckpoint.init(row:))
    }

    func checkpoints() throws -> [StoredCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size")
            .map(StoredCheckpoint.init(row:))
    }

    func insert(_ checkpoint: StoredCheckpoint) throws {
        // Cached: the insert's trigger is compiled with it, so preparing it anew parses
        // the trigger's SQL again for every group commit.
        try db.cachedStatement(sql: "INSERT OR ROLLBACK INTO audit_checkpoints(tree_size, note, signed_at) VALUES (?, ?, ?)")
            .execute(arguments: [Int64(checkpoint.size), checkpoint.note, checkpoint.signedAt])
    }

    func latestEntryTime() throws -> Date? {
        try String.fetchOne(db, sql: "SELECT max_time FROM audit_bundles ORDER BY first DESC LIMIT 1").flatMap(AuditTime.parse)
    }
}

extension StoredCheckpoint {
    init(row: Row) {
        size = UInt64(row[0] as Int64)
        note = row[1]
        signedAt = row[2]
    }
}

extension AuditFilter {
    /// ``bundleSelection()`` as one SQLite statement.
    func bundleQuery() -> (String, StatementArguments) {
        let selection = bundleSelection()
        var sql = "SELECT \(AuditBundle.columns) FROM audit_bundles"
        if !selection.conditions.isEmpty { sql += " WHERE " + selection.conditions.joined(separator: " AND ") }
        sql += selection.newestFirst ? " ORDER BY first DESC" : " ORDER BY first"
        let arguments: [any DatabaseValueConvertible] = selection.values.map {
            switch $0 {
            case .integer(let number): number
            case .text(let text): text
            }
        }
        return (sql, StatementArguments(arguments))
    }
}
