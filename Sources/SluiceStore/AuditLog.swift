import Foundation
import SluiceAudit

/// The audit trail's entries, the hashes of the Merkle tree over them, and the signed
/// checkpoints of that tree, seen from inside one transaction. Entries are only ever
/// appended (by ``AuditTrail``, which reads the tree's edge once per transaction through
/// ``StoreWriter/auditAppender(time:acceptingCorrection:)``).
///
/// An implementation keeps roots and proofs cheap: a tree of any size is built from
/// stored complete-subtree hashes, not from every leaf.
public protocol AuditLog {
    /// The number of entries, which is also the next entry's sequence.
    func size() throws -> UInt64
    /// The tree of the first `size` entries.
    func tree(size: UInt64) throws -> MerkleTree
    /// The stored text of one entry, exactly as hashed.
    func entry(at sequence: UInt64) throws -> StoredAuditEntry?
    /// Entries matching `filter`, in sequence order (or newest first when the filter says so).
    func entries(_ filter: AuditFilter) throws -> [StoredAuditEntry]
    /// Calls `body` with each entry matching `filter`, in the filter's order, up to its
    /// limit, without holding them all: summaries over a long period read this way.
    func forEachEntry(matching filter: AuditFilter, _ body: (StoredAuditEntry) throws -> Void) throws
    /// Calls `body` with every entry from `start`, in order, without holding them all.
    func forEachEntry(from start: UInt64, _ body: (StoredAuditEntry) throws -> Void) throws
    /// The latest entry's time, if there is an entry.
    func latestEntryTime() throws -> Date?
    func latestCheckpoint() throws -> StoredCheckpoint?
    func checkpoints() throws -> [StoredCheckpoint]
    /// Stores a checkpoint signed over the log as it stands in this transaction; throws if
    /// one of that size is stored already.
    func insert(_ checkpoint: StoredCheckpoint) throws
}

extension AuditLog {
    public func entries(_ filter: AuditFilter) throws -> [StoredAuditEntry] {
        var found: [StoredAuditEntry] = []
        try forEachEntry(matching: filter) { found.append($0) }
        return found
    }

    public func forEachEntry(_ body: (StoredAuditEntry) throws -> Void) throws {
        try forEachEntry(from: 0, body)
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
        try insert(stored)
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
    public init(sequence: UInt64, json: String, leafHash: Data) {
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

    public var signedTime: Date? { AuditTime.parse(signedAt) }
}
