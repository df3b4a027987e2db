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

    init(_ db: Database) {
        self.db = db
    }

    /// The number of entries, which is also the next entry's sequence.
    public func size() throws -> UInt64 {
        // The last bundle is read from the end of the primary key's b-tree, O(log n).
        let end = try Int64.fetchOne(db.cachedStatement(sql: "SELECT first + count FROM audit_bundles ORDER BY first DESC LIMIT 1"))
        return end.map { UInt64($0) } ?? 0
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
    static let lowestStoredLevel = StoredSubtree.lowestLevel

    /// The tree of the first `size` entries, over the stored hashes.
    public func tree(size: UInt64) throws -> MerkleTree {
        let subtrees = try StoredSubtrees(db)
        return MerkleTree(size: size) { level, index in try subtrees.hash(level: level, index: index) }
    }

    // MARK: Entries

    /// The stored text of one entry, exactly as hashed.
    public func entry(at sequence: UInt64) throws -> StoredAuditEntry? {
        guard sequence <= UInt64(Int64.max),
            let row = try Row.fetchOne(
                db, sql: "SELECT \(AuditBundle.columns) FROM audit_bundles WHERE first <= ? ORDER BY first DESC LIMIT 1",
                arguments: [Int64(sequence)])
        else { return nil }
        return try AuditBundle.entries(of: row, from: sequence, through: sequence).first
    }

    /// Entries matching `filter`, in sequence order (or newest first when the filter says so).
    public func entries(_ filter: AuditFilter) throws -> [StoredAuditEntry] {
        var found: [StoredAuditEntry] = []
        try forEachEntry(matching: filter) { found.append($0) }
        return found
    }

    /// Calls `body` with each entry matching `filter`, in the filter's order, up to its
    /// limit, without holding them all: summaries over a long period read this way.
    public func forEachEntry(matching filter: AuditFilter, _ body: (StoredAuditEntry) throws -> Void) throws {
        let limit = filter.limit.map { max(0, $0) } ?? Int.max
        guard limit > 0 else { return }
        var count = 0
        let (sql, arguments) = filter.bundleQuery()
        let matches = filter.matcher()
        let needles = filter.needles()
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let through = filter.beforeSequence.map { $0 == 0 ? 0 : $0 - 1 } ?? .max
            var entries = try AuditBundle.entries(of: row, from: filter.fromSequence ?? 0, through: through, containing: needles)
            if filter.newestFirst { entries.reverse() }
            for entry in entries where matches(entry) {
                if let before = filter.beforeSequence, entry.sequence >= before { continue }
                try body(entry)
                count += 1
                if count == limit { return }
            }
        }
    }

    /// Calls `body` with every entry from `start`, in order, without holding them all.
    public func forEachEntry(from start: UInt64 = 0, _ body: (StoredAuditEntry) throws -> Void) throws {
        let (sql, arguments) = AuditFilter(fromSequence: start).bundleQuery()
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            for entry in try AuditBundle.entries(of: row, from: start) { try body(entry) }
        }
    }

    // MARK: Checkpoints

    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1"))
            .map(StoredCheckpoint.init(row:))
    }

    public func checkpoints() throws -> [StoredCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT tree_size, note, signed_at FROM audit_checkpoints ORDER BY tree_size")
            .map(StoredCheckpoint.init(row:))
    }

    /// Signs a checkpoint of the whole log as it stands in this transaction and stores it.
    @discardableResult
    public func signCheckpoint(with key: NoteSignerKey, cosigner: SM2NoteKey? = nil, at time: Date) throws -> StoredCheckpoint {
        try signCheckpoint(with: [key], cosigner: cosigner, at: time)
    }

    /// Signs with every key given (all of one log name), one signature line each, then
    /// the SM2 co-signature when the gateway has an SM2 key.
    @discardableResult
    public func signCheckpoint(with keys: [NoteSignerKey], cosigner: SM2NoteKey? = nil, at time: Date) throws -> StoredCheckpoint {
        let size = try size()
        let checkpoint = Checkpoint(origin: keys.first?.name ?? "", size: size, root: try tree(size: size).root())
        let note = try SignedNote.sign(checkpoint.text, keys: keys, cosigner: cosigner)
        let stored = StoredCheckpoint(size: size, note: note, signedAt: AuditTime.format(time))
        // Cached: the insert's trigger is compiled with it, so preparing it anew parses
        // the trigger's SQL again for every group commit.
        try db.cachedStatement(sql: "INSERT OR ROLLBACK INTO audit_checkpoints(tree_size, note, signed_at) VALUES (?, ?, ?)")
            .execute(arguments: [Int64(size), note, stored.signedAt])
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

    /// An entry as stored, with the leaf hash recorded for it (empty when none was).
    init(sequence: UInt64, json: String, leafHash: Data) {
        self.sequence = sequence
        self.json = json
        self.leafHash = leafHash
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
