import CSQLiteGuard
import Foundation
import GRDB
import SluiceAudit

/// ``AuditTail`` on the SQLite tables `audit_bundles` and `audit_subtrees`, on statements
/// prepared once per connection.
struct SQLiteAuditTail: AuditTail {
    let db: Database
    private let lastBundle: Statement
    private let storedHash: Statement
    private let bundleLeaves: Statement
    private let insertBundle: Statement
    private let insertSubtree: Statement

    init(_ db: Database) throws {
        self.db = db
        // The last bundle, read from the end of the primary key's b-tree: the next
        // sequence and the latest time in one seek.
        lastBundle = try db.cachedStatement(sql: "SELECT first + count, max_time FROM audit_bundles ORDER BY first DESC LIMIT 1")
        storedHash = try db.cachedStatement(sql: "SELECT hash FROM audit_subtrees WHERE last_leaf = ? AND level = ?")
        // The bundles overlapping [start, end): the one holding `start`, and any after it
        // that begin before `end`. Only the leaf hashes are read, which come before the
        // entries in the row.
        bundleLeaves = try db.cachedStatement(
            sql: """
                SELECT first, leaf_hashes FROM audit_bundles
                WHERE first >= COALESCE((SELECT first FROM audit_bundles WHERE first <= ?1 ORDER BY first DESC LIMIT 1), 0)
                    AND first < ?2
                ORDER BY first
                """)
        insertBundle = try db.cachedStatement(
            sql: "INSERT OR ROLLBACK INTO audit_bundles(first, count, min_time, max_time, leaf_hashes, entries) VALUES (?, ?, ?, ?, ?, ?)")
        insertSubtree = try db.cachedStatement(sql: "INSERT OR ROLLBACK INTO audit_subtrees(last_leaf, level, hash) VALUES (?, ?, ?)")
    }

    func end() throws -> (size: UInt64, latestTime: String)? {
        try Row.fetchOne(lastBundle).map { (UInt64($0[0] as Int64), $0[1]) }
    }

    func storedHash(lastLeaf: UInt64, level: Int) throws -> MerkleHash? {
        var row = RawRowCursor(storedHash, integers: Int64(lastLeaf), Int64(level))
        defer { row.reset() }
        return try row.step() ? MerkleHash(raw: row.bytes(0)) : nil
    }

    func leafHashes(from start: UInt64, to end: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) -> Bool) throws {
        var rows = RawRowCursor(bundleLeaves, integers: Int64(start), Int64(end))
        defer { rows.reset() }
        while try rows.step() {
            guard body(UInt64(rows.int64(0)), rows.bytes(1)) else { return }
        }
    }

    // Bound through SQLite's own API: GRDB's argument values cost more than the insert
    // itself on this path, which runs once per audited request.
    func insertBundle(first: UInt64, count: Int, time: String, leafHashes: [UInt8], entries: [UInt8]) throws {
        let statement = insertBundle.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, Int64(bitPattern: first))
        sqlite3_bind_int64(statement, 2, Int64(count))
        Self.bind(time, statement, 3)
        Self.bind(time, statement, 4)
        leafHashes.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 5, $0.baseAddress, Int32($0.count), Self.transient) }
        entries.withUnsafeBytes { _ = sqlite3_bind_text(statement, 6, $0.baseAddress, Int32($0.count), Self.transient) }
        try step(statement)
    }

    func insertSubtree(lastLeaf: UInt64, level: Int, hash: MerkleHash) throws {
        let insert = insertSubtree.sqliteStatement
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, Int64(bitPattern: lastLeaf))
        sqlite3_bind_int64(insert, 2, Int64(level))
        hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 3, $0.baseAddress, 32, Self.transient) }
        try step(insert)
    }

    /// SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ text: String, _ statement: OpaquePointer, _ index: Int32) {
        var text = text
        text.withUTF8 { _ = sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
    }

    private func step(_ statement: OpaquePointer) throws {
        guard sqlite3_step(statement) == SQLITE_DONE else {
            // Read before the reset, which may replace the message.
            let connection = db.sqliteConnection
            let error = DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)))
            sqlite3_reset(statement)
            throw error
        }
        sqlite3_reset(statement)
    }
}
