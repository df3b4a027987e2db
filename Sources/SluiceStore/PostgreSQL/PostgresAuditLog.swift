import Foundation
import PostgresNIO
import SluiceAudit

/// ``AuditLog`` on the PostgreSQL tables `audit_bundles`, `audit_subtrees` and
/// `audit_checkpoints`: bundles read a page at a time, so a long walk holds one page.
struct PostgresAuditLog: AuditLog {
    let session: PostgresSession

    /// Bundles read per query while walking the log: a few at first (`tail` wants the last
    /// hundred entries, which a batched commit may hold in one bundle), more as the walk goes on.
    static let pages = [4, 16, 64]

    func size() throws -> UInt64 {
        try PostgresAuditTail(session: session).end()?.size ?? 0
    }

    func tree(size: UInt64) throws -> MerkleTree {
        let subtrees = StoredSubtrees(PostgresAuditTail(session: session))
        return MerkleTree(size: size) { level, index in try subtrees.hash(level: level, index: index) }
    }

    func entry(at sequence: UInt64) throws -> StoredAuditEntry? {
        guard sequence <= UInt64(Int64.max) else { return nil }
        var found: StoredAuditEntry?
        try forEachEntry(matching: AuditFilter(fromSequence: sequence, limit: 1, beforeSequence: sequence + 1)) { found = $0 }
        return found
    }

    func forEachEntry(matching filter: AuditFilter, _ body: (StoredAuditEntry) throws -> Void) throws {
        var walk = AuditFilterWalk(filter)
        let selection = filter.bundleSelection()
        let values: [PostgresSession.Value] = selection.values.map {
            switch $0 {
            case .integer(let number): .integer(number)
            case .text(let text): .text(text)
            }
        }
        var conditions = selection.conditions
        conditions.append(selection.newestFirst ? "first < ?" : "first > ?")
        let order = selection.newestFirst ? "DESC" : "ASC"
        let sql =
            "SELECT \(AuditBundle.columns) FROM audit_bundles WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY first \(order) LIMIT ?"
        var position: Int64 = selection.newestFirst ? .max : -1
        var round = 0
        while !walk.isDone {
            let page = Self.pages[min(round, Self.pages.count - 1)]
            round += 1
            let rows = try session.rows(sql, values + [.integer(position), .integer(Int64(page))])
            for row in rows {
                let first = try row.integer(0)
                position = first
                let text = try row.text(5)
                let hashes = try row.bytes(4)
                var text8 = text
                let going = try text8.withUTF8 { text in
                    try walk.visit(first: UInt64(first), hashes: hashes, text: UnsafeRawBufferPointer(text), body)
                }
                guard going else { return }
            }
            if rows.count < page { return }
        }
    }

    func forEachEntry(from start: UInt64, _ body: (StoredAuditEntry) throws -> Void) throws {
        try forEachEntry(matching: AuditFilter(fromSequence: start), body)
    }

    func latestEntryTime() throws -> Date? {
        try PostgresAuditTail(session: session).end().flatMap { AuditTime.parse($0.latestTime) }
    }

    func latestCheckpoint() throws -> StoredCheckpoint? {
        try session.row("SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1").map(StoredCheckpoint.init(row:))
    }

    func checkpoints() throws -> [StoredCheckpoint] {
        try session.rows("SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size").map(StoredCheckpoint.init(row:))
    }

    func insert(_ checkpoint: StoredCheckpoint) throws {
        try session.execute(
            "INSERT INTO audit_checkpoints(tree_size, note, signed_at) VALUES (?, ?, ?)",
            [.integer(Int64(checkpoint.size)), .text(checkpoint.note), .text(checkpoint.signedAt)])
    }
}

extension StoredCheckpoint {
    init(row: PostgresRandomAccessRow) throws {
        self.init(size: UInt64(try row.integer(0)), note: try row.text(1), signedAt: try row.text(2))
    }
}
