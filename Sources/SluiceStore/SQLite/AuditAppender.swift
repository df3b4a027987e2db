import CSQLiteGuard
import Foundation
import GRDB
import SluiceAudit

/// Appends entries to the audit trail inside one transaction, remembering between
/// appends what the next one needs: its sequence and the hashes of the complete
/// subtrees on the tree's right edge. The first append reads them (O(log n) point
/// reads at most); the rest of a transaction reads nothing and only inserts.
///
/// Each call writes one bundle row, whatever the number of entries, then the subtree
/// hashes those entries complete. The schema's triggers still check every insert: if
/// anything else appended in the same transaction, the next insert here is refused and
/// the transaction rolls back.
struct AuditAppender: AuditAppending {
    let db: Database
    /// The tree's right edge; its size is the next entry's sequence.
    private var edge: MerkleEdge
    private let time: String
    private let insertBundle: Statement
    private let insertSubtree: Statement
    /// Set while an append is under way and left set if it fails: the remembered edge
    /// may then be half updated, so nothing more may be appended through this appender.
    private var interrupted = false

    /// `acceptingCorrection` lets this transaction's entries be dated before the latest
    /// one (only the entry recording a clock correction); otherwise ``AuditClock`` decides.
    init(_ db: Database, time: Date, acceptingCorrection: Bool = false) throws {
        self.db = db
        // The last bundle, read from the end of the primary key's b-tree: the next
        // sequence and the latest time in one seek.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT first + count, max_time FROM audit_bundles ORDER BY first DESC LIMIT 1"))
        edge = MerkleEdge(size: last.map { UInt64($0[0] as Int64) } ?? 0)
        let latest = last.flatMap { AuditTime.parse($0[1] as String) }
        self.time = AuditTime.format(try AuditClock.entryTime(now: time, latest: latest, acceptingCorrection: acceptingCorrection))
        insertBundle = try db.cachedStatement(
            sql: "INSERT OR ROLLBACK INTO audit_bundles(first, count, min_time, max_time, leaf_hashes, entries) VALUES (?, ?, ?, ?, ?, ?)")
        insertSubtree = try db.cachedStatement(sql: "INSERT OR ROLLBACK INTO audit_subtrees(last_leaf, level, hash) VALUES (?, ?, ?)")
    }

    /// Appends `event` as the next entry.
    mutating func append(_ event: AuditEvent) throws -> AuditEntry {
        try append(contentsOf: CollectionOfOne(event))[0]
    }

    /// Entries per bundle at most: a reader of one entry reads its whole bundle, and
    /// `verify` holds a bundle whole, so a long batch is stored as several.
    static let largestBundle = 1024

    /// Appends `events` as the next entries, in order, as one bundle per
    /// ``largestBundle`` entries.
    mutating func append(contentsOf events: some Collection<AuditEvent>) throws -> [AuditEntry] {
        guard events.count > Self.largestBundle else { return try appendBundle(events) }
        var written: [AuditEntry] = []
        written.reserveCapacity(events.count)
        var rest = events[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(Self.largestBundle)
            written += try appendBundle(chunk)
            rest = rest[chunk.endIndex...]
        }
        return written
    }

    private mutating func appendBundle(_ events: some Collection<AuditEvent>) throws -> [AuditEntry] {
        guard !interrupted else {
            throw StoreError.failed("an earlier audit append in this transaction failed; the transaction must be abandoned")
        }
        guard !events.isEmpty else { return [] }
        interrupted = true
        let first = edge.size
        var written: [AuditEntry] = []
        written.reserveCapacity(events.count)
        var text: [UInt8] = []
        var leaves: [UInt8] = []
        leaves.reserveCapacity(events.count * 32)
        var subtrees: [(lastLeaf: UInt64, level: Int, hash: MerkleHash)] = []
        // A level not yet known is read from the store (mostly on a transaction's first
        // append); one reader per call lets the lowest levels share one block read.
        var stored: StoredSubtrees?
        for event in events {
            let sequence = first + UInt64(written.count)
            let entry = AuditEntry(sequence: sequence, time: time, event: event)
            let json = entry.canonicalJSON
            let leaf = json.withUnsafeBytes { MerkleHash.leaf(raw: $0) }
            if text.isEmpty { text.reserveCapacity((json.count + 1) * events.count + 64) }
            text.append(contentsOf: json)
            text.append(0x0A)
            leaf.withUnsafeBytes { leaves.append(contentsOf: $0) }

            try edge.append(
                leaf,
                stored: { level, index in
                    if stored == nil { stored = try StoredSubtrees(db) }
                    return try stored!.hash(level: level, index: index)
                },
                completed: { level, hash in
                    if level >= SQLiteAuditLog.lowestStoredLevel { subtrees.append((sequence, level, hash)) }
                })
            written.append(entry)
        }

        // Bound through SQLite's own API: GRDB's argument values cost more than the
        // insert itself on this path, which runs once per audited request.
        let statement = insertBundle.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, Int64(bitPattern: first))
        sqlite3_bind_int64(statement, 2, Int64(written.count))
        Self.bind(time, statement, 3)
        Self.bind(time, statement, 4)
        leaves.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 5, $0.baseAddress, Int32($0.count), Self.transient) }
        text.withUnsafeBytes { _ = sqlite3_bind_text(statement, 6, $0.baseAddress, Int32($0.count), Self.transient) }
        try step(statement)
        for subtree in subtrees {
            let insert = insertSubtree.sqliteStatement
            sqlite3_reset(insert)
            sqlite3_bind_int64(insert, 1, Int64(bitPattern: subtree.lastLeaf))
            sqlite3_bind_int64(insert, 2, Int64(subtree.level))
            subtree.hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 3, $0.baseAddress, 32, Self.transient) }
            try step(insert)
        }
        interrupted = false
        return written
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
