import Foundation
import SluiceAudit
import Synchronization

/// How the gateway writes to the audit trail: every data change commits in the same
/// transaction as the entries that record it, and checkpoints are signed by the
/// gateway's checkpoint key on the policy's cadence.
public final class AuditTrail: Sendable {
    public let store: any GatewayStore
    private let currentSigner: Mutex<NoteSignerKey>
    public let policy: CheckpointPolicy
    /// The gateway's SM2 key under the log's name, when it has one: every checkpoint then
    /// carries its co-signature too.
    public let cosigner: SM2NoteKey?
    let clock: @Sendable () -> Date

    public init(
        store: any GatewayStore, signer: NoteSignerKey, cosigner: SM2NoteKey? = nil, policy: CheckpointPolicy = CheckpointPolicy(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.currentSigner = Mutex(signer)
        self.cosigner = cosigner
        self.policy = policy
        self.clock = clock
    }

    /// The key checkpoints are signed with now; it changes only by ``rotate(to:recording:)``.
    public var signer: NoteSignerKey { currentSigner.withLock { $0 } }

    /// Replaces the checkpoint key. In one transaction: the rotation's entry, then a
    /// checkpoint including it signed by both the outgoing and the incoming key, which
    /// links the two for anyone holding the old verifier key. Later checkpoints are
    /// signed by the new key; earlier ones keep verifying with the old.
    @discardableResult
    public func rotate(to newSigner: NoteSignerKey, recording event: AuditEvent) throws -> StoredCheckpoint {
        let now = clock()
        return try currentSigner.withLock { signer in
            guard newSigner.name == signer.name else {
                throw NoteError.malformed("the new checkpoint key must keep the log's name \(signer.name)")
            }
            let old = signer
            let checkpoint = try store.write { writer in
                var appender = try writer.auditAppender(time: now, acceptingCorrection: false)
                _ = try appender.append(contentsOf: CollectionOfOne(event))
                return try writer.audit.signCheckpoint(with: [old, newSigner], cosigner: cosigner, at: now)
            }
            signer = newSigner
            return checkpoint
        }
    }

    /// What `commit` hands its body: the stores to change in the transaction, and
    /// `append` for the entries that record it.
    public struct Transaction {
        let writer: any StoreWriter
        let time: Date
        let signer: NoteSignerKey
        let cosigner: SM2NoteKey?
        public fileprivate(set) var entries: [AuditEntry] = []
        fileprivate var appender: (any AuditAppending)?
        /// Set only by ``AuditTrail/recordClockCorrection(_:)``.
        fileprivate var acceptsClockCorrection = false
        /// How many of `entries` the last checkpoint signed here covers, if one was.
        fileprivate var entriesCheckpointed: Int?

        /// The packages, changed in this transaction.
        public var packages: any PackageStore { writer.packages }
        /// The data requests, changed in this transaction.
        public var dataRequests: any DataRequestStore { writer.dataRequests }
        /// The registry's agencies, agreements and revocations, changed in this transaction.
        public var agencies: any AgencyStore { writer.agencies }
        public var agreements: any AgreementStore { writer.agreements }
        public var revocations: any RevocationStore { writer.revocations }

        /// Signs a checkpoint of the log including this transaction's entries so far (for a
        /// receipt that must carry the checkpoint holding its entry).
        public mutating func signCheckpoint() throws -> StoredCheckpoint {
            let checkpoint = try writer.audit.signCheckpoint(with: signer, cosigner: cosigner, at: time)
            entriesCheckpointed = entries.count
            return checkpoint
        }

        /// Whether a checkpoint signed in this transaction already covers the whole log:
        /// then no other can fall due before it commits.
        fileprivate var isCheckpointed: Bool { entriesCheckpointed == entries.count }

        @discardableResult
        public mutating func append(_ event: AuditEvent) throws -> AuditEntry {
            try append(contentsOf: CollectionOfOne(event))[0]
        }

        /// Appends `events` in order, stored as one bundle per
        /// 1,024 entries in the SQLite store: the way to record many entries at once
        /// (a batch costs a row per bundle, not one per entry).
        @discardableResult
        public mutating func append(contentsOf events: some Collection<AuditEvent>) throws -> [AuditEntry] {
            if appender == nil { appender = try writer.auditAppender(time: time, acceptingCorrection: acceptsClockCorrection) }
            let appended = try appender!.append(contentsOf: events)
            entries.append(contentsOf: appended)
            return appended
        }
    }

    /// The outcome of a commit: the body's value, the entries appended, and the
    /// checkpoint signed in the same transaction, if one fell due.
    public struct Commit<Value> {
        public var value: Value
        public var entries: [AuditEntry]
        public var checkpoint: StoredCheckpoint?
    }

    /// Runs `body` in one durable write transaction. Either the data change and its
    /// entries are all on disk when this returns, or none of them is and it throws.
    public func commit<Value>(_ body: (inout Transaction) throws -> Value) throws -> Commit<Value> {
        let now = clock()
        // Read before the write transaction: a rotation holds the key while it writes.
        let signer = self.signer
        return try store.write { writer in
            var transaction = Transaction(writer: writer, time: now, signer: signer, cosigner: cosigner)
            let value = try body(&transaction)
            // A group commit signs its own checkpoint for its receipts; reading that back to
            // find nothing due cost a query and a note's parsing per group.
            let checkpoint = transaction.isCheckpointed ? nil : try signIfDue(writer.audit, now: now, signer: signer)
            return Commit(value: value, entries: transaction.entries, checkpoint: checkpoint)
        }
    }

    /// Records that the clock was set back after entries were dated by a clock that ran
    /// ahead: `event` (a `gateway.clock_corrected` entry, its details saying from when) is
    /// the one entry dated before the latest, and later ones follow it.
    @discardableResult
    public func recordClockCorrection(_ event: AuditEvent) throws -> AuditEntry {
        let now = clock()
        let signer = self.signer
        return try store.write { writer in
            var transaction = Transaction(writer: writer, time: now, signer: signer, cosigner: cosigner)
            transaction.acceptsClockCorrection = true
            return try transaction.append(event)
        }
    }

    /// The latest entry's time, if there is an entry.
    public func latestEntryTime() throws -> Date? {
        try store.read { reader in try reader.audit.latestEntryTime() }
    }

    /// Appends one entry on its own (an access that changes no data: a read, a refusal).
    @discardableResult
    public func record(_ event: AuditEvent) throws -> AuditEntry {
        let result = try commit { transaction in try transaction.append(event) }
        return result.value
    }

    /// Signs a checkpoint if the policy's interval has passed since the last one and the
    /// log grew; the gateway calls this on a timer.
    @discardableResult
    public func checkpointIfDue() throws -> StoredCheckpoint? {
        let now = clock()
        let signer = self.signer
        return try store.write { writer in try signIfDue(writer.audit, now: now, signer: signer) }
    }

    /// Signs a checkpoint of everything written so far, unless the latest already covers
    /// it (at shutdown, or when a receipt needs the checkpoint holding its entry).
    @discardableResult
    public func checkpoint() throws -> StoredCheckpoint? {
        let now = clock()
        let signer = self.signer
        return try store.write { writer in
            let log = writer.audit
            let size = try log.size()
            guard size > 0, try (log.latestCheckpoint()?.size ?? 0) < size else { return nil }
            return try log.signCheckpoint(with: signer, cosigner: cosigner, at: now)
        }
    }

    private func signIfDue(_ log: any AuditLog, now: Date, signer: NoteSignerKey) throws -> StoredCheckpoint? {
        let latest = try log.latestCheckpoint()
        let due = policy.isDue(
            latest: latest.map { ($0.size, $0.signedTime ?? .distantPast) }, size: try log.size(), now: now)
        return due ? try log.signCheckpoint(with: signer, cosigner: cosigner, at: now) : nil
    }
}

extension AuditTrail.Commit: Sendable where Value: Sendable {}
