import Foundation
import GRDB
import SluiceAudit

/// The audit trail's tables seen from inside one transaction: appending entries (and
/// the subtree hashes they complete), reading entries, proofs and checkpoints.
///
/// Appending costs O(log n) point reads and amortised two inserts; roots and proofs
/// are built from stored complete-subtree hashes, O(log² n) point reads at most.
public struct AuditLog {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// The number of entries, which is also the next entry's sequence.
    public func size() throws -> UInt64 {
        // A bare MAX over the primary key is read from the end of the b-tree, O(log n).
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(sequence) FROM audit_entries"))
        return last.map { UInt64($0) + 1 } ?? 0
    }

    /// Appends `event` as the next entry, stamped with `time`. (Several appends in one
    /// transaction go through ``AuditTrail/Transaction``, which reads the tree's edge once.)
    @discardableResult
    public func append(_ event: AuditEvent, at time: Date) throws -> AuditEntry {
        var appender = try AuditAppender(db, time: time)
        return try appender.append(event)
    }

    /// The smallest complete subtrees whose hashes are stored: 2^4 = 16 leaves. Smaller
    /// ones are recomputed from at most 8 leaf hashes read in one range, which keeps
    /// appends to about one stored hash per 8 entries instead of one per entry.
    /// (Logs written with hashes at lower levels remain valid; those rows are checked
    /// by `verify` when present and otherwise unused.)
    static let lowestStoredLevel = 4

    /// The tree of the first `size` entries, over the stored hashes.
    public func tree(size: UInt64) throws -> MerkleTree {
        let subtrees = try StoredSubtrees(db)
        return MerkleTree(size: size) { level, index in try subtrees.hash(level: level, index: index) }
    }

    // MARK: Entries

    /// The stored text of one entry, exactly as hashed.
    public func entry(at sequence: UInt64) throws -> StoredAuditEntry? {
        try Row.fetchOne(
            db, sql: "SELECT sequence, entry, leaf_hash FROM audit_entries WHERE sequence = ?",
            arguments: [Int64(sequence)]
        ).map(StoredAuditEntry.init(row:))
    }

    /// Entries matching `filter`, in sequence order (or newest first when the filter says so).
    public func entries(_ filter: AuditFilter) throws -> [StoredAuditEntry] {
        let (sql, arguments) = filter.query()
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(StoredAuditEntry.init(row:))
    }

    /// Calls `body` with every entry from `start`, in order, without holding them all.
    public func forEachEntry(from start: UInt64 = 0, _ body: (StoredAuditEntry) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT sequence, entry, leaf_hash FROM audit_entries WHERE sequence >= ? ORDER BY sequence",
            arguments: [Int64(start)])
        while let row = try rows.next() { try body(StoredAuditEntry(row: row)) }
    }

    // MARK: Checkpoints

    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
            .map(StoredCheckpoint.init(row:))
    }

    public func checkpoints() throws -> [StoredCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size")
            .map(StoredCheckpoint.init(row:))
    }

    /// Signs a checkpoint of the whole log as it stands in this transaction and stores it.
    @discardableResult
    public func signCheckpoint(with key: NoteSignerKey, at time: Date) throws -> StoredCheckpoint {
        try signCheckpoint(with: [key], at: time)
    }

    /// Signs with every key given (all of one log name), one signature line each.
    @discardableResult
    public func signCheckpoint(with keys: [NoteSignerKey], at time: Date) throws -> StoredCheckpoint {
        let size = try size()
        let checkpoint = Checkpoint(origin: keys.first?.name ?? "", size: size, root: try tree(size: size).root())
        let note = try SignedNote.sign(checkpoint.text, keys: keys)
        let stored = StoredCheckpoint(size: size, note: note, signedAt: AuditTime.format(time))
        try db.execute(
            sql: "INSERT OR ROLLBACK INTO audit_checkpoints(tree_size, note, signed_at) VALUES (?, ?, ?)",
            arguments: [Int64(size), note, stored.signedAt])
        return stored
    }
}

/// One entry as stored: its sequence, its canonical JSON and the leaf hash recorded
/// for it when it was appended.
public struct StoredAuditEntry: Sendable, Hashable {
    public var sequence: UInt64
    public var json: String
    public var leafHash: Data

    /// An entry received from elsewhere (an export, the audit API): its leaf hash is
    /// computed here from its text, not trusted.
    public init(sequence: UInt64, json: String) {
        self.sequence = sequence
        self.json = json
        self.leafHash = Data(MerkleHash.leaf(Data(json.utf8)).bytes)
    }

    init(row: Row) {
        sequence = UInt64(row[0] as Int64)
        json = row[1]
        leafHash = row[2]
    }
}

/// A signed checkpoint as stored: the size it covers, the signed note, and when it was signed.
public struct StoredCheckpoint: Sendable, Hashable {
    public var size: UInt64
    public var note: String
    public var signedAt: String

    public init(size: UInt64, note: String, signedAt: String) {
        self.size = size
        self.note = note
        self.signedAt = signedAt
    }

    init(row: Row) {
        size = UInt64(row[0] as Int64)
        note = row[1]
        signedAt = row[2]
    }

    public var signedTime: Date? { AuditTime.parse(signedAt) }
}
