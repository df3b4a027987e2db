import CSQLiteGuard
import Foundation
import GRDB
import SluiceAudit

/// Appends entries to the audit trail inside one transaction, remembering between
/// appends what the next one needs: its sequence and the hashes of the complete
/// subtrees on the tree's right edge. The first append reads them (O(log n) point
/// reads at most); the rest of a batch reads nothing and only inserts.
///
/// The schema's triggers still check every insert: if anything else appended in the
/// same transaction, the next insert here is refused and the transaction rolls back.
struct AuditAppender {
    let db: Database
    private(set) var size: UInt64
    private let time: String
    /// Hash of the complete subtree at each level that ends just before `size`, when
    /// already known (bit `level` of `size` is set); read from the store on first need.
    private var rightEdge: [MerkleHash?] = Array(repeating: nil, count: 64)
    private let insertEntry: Statement
    private let insertSubtree: Statement
    /// Set while an append is under way and left set if it fails: the remembered edge
    /// may then be half updated, so nothing more may be appended through this appender.
    private var interrupted = false

    init(_ db: Database, time: Date) throws {
        self.db = db
        self.time = AuditTime.format(time)
        size = try AuditLog(db).size()
        insertEntry = try db.cachedStatement(
            sql: """
                INSERT OR ROLLBACK INTO audit_entries(sequence, entry, leaf_hash, time, actor, action, agreement, package, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertSubtree = try db.cachedStatement(sql: "INSERT OR ROLLBACK INTO audit_subtrees(last_leaf, level, hash) VALUES (?, ?, ?)")
    }

    /// Appends `event` as the next entry.
    mutating func append(_ event: AuditEvent) throws -> AuditEntry {
        guard !interrupted else {
            throw StoreError.failed("an earlier audit append in this transaction failed; the transaction must be abandoned")
        }
        interrupted = true
        let sequence = size
        let entry = AuditEntry(sequence: sequence, time: time, event: event)
        let json = entry.canonicalJSON
        let leaf = json.withUnsafeBytes { MerkleHash.leaf(raw: $0) }
        // Bound through SQLite's own API: GRDB's argument values cost more than the
        // insert itself on this path, which runs once per audited request.
        let statement = insertEntry.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, Int64(bitPattern: sequence))
        json.withUnsafeBytes { _ = sqlite3_bind_text(statement, 2, $0.baseAddress, Int32($0.count), Self.transient) }
        leaf.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 3, $0.baseAddress, 32, Self.transient) }
        Self.bind(entry.time, statement, 4)
        Self.bind(entry.actor.id, statement, 5)
        Self.bind(entry.action.rawValue, statement, 6)
        Self.bind(entry.agreementID, statement, 7)
        Self.bind(entry.packageID, statement, 8)
        Self.bind(entry.outcome.rawValue, statement, 9)
        try step(statement)

        var hash = leaf
        var position = sequence
        var level = 0
        // A level not yet known is read from the store (mostly on a transaction's first
        // append); one reader per append lets the lowest levels share one block read.
        var stored: StoredSubtrees?
        while position & 1 == 1 {
            let left: MerkleHash
            if let known = rightEdge[level] {
                left = known
            } else {
                if stored == nil { stored = try StoredSubtrees(db) }
                left = try stored!.hash(level: level, index: position - 1)
            }
            rightEdge[level] = nil
            hash = .node(left, hash)
            level += 1
            position >>= 1
            guard level >= AuditLog.lowestStoredLevel else { continue }
            let subtree = insertSubtree.sqliteStatement
            sqlite3_reset(subtree)
            sqlite3_bind_int64(subtree, 1, Int64(bitPattern: sequence))
            sqlite3_bind_int64(subtree, 2, Int64(level))
            hash.withUnsafeBytes { _ = sqlite3_bind_blob(subtree, 3, $0.baseAddress, 32, Self.transient) }
            try step(subtree)
        }
        rightEdge[level] = hash
        size += 1
        interrupted = false
        return entry
    }

    /// SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ text: String?, _ statement: OpaquePointer, _ index: Int32) {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return
        }
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
