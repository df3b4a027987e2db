import Foundation
import SluiceAudit

/// Where a gateway keeps its state: the registry, packages, data requests and the audit
/// trail, read on consistent snapshots and changed in durable transactions. The gateway
/// and the command-line tool use nothing else of the database behind it, except backups,
/// which are SQLite files; ``GatewayDatabase`` (one SQLite file) is the default.
///
/// An implementation keeps the audit trail append-only in the database itself, answers
/// with ``StoreError`` (``StoreError/unavailable(_:reason:)`` when it cannot take writes
/// now), and makes a write either wholly durable before it returns or not happen at all.
public protocol GatewayStore: AnyObject, Sendable {
    /// Runs `body` on a consistent snapshot of the store.
    func read<T>(_ body: (any StoreReader) throws -> T) throws -> T
    /// Runs `body` in one durable write transaction; if it throws, nothing it did remains.
    func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T
    /// What keeps the store from taking writes now, if anything, with `minimumFreeBytes`
    /// kept back for refusals and the audit trail.
    func storageCondition(minimumFreeBytes: UInt64) -> StorageCondition?
    /// What the database's own consistency check finds wrong: nothing when it is sound.
    func integrityProblems() throws -> [String]
    /// Copies a consistent snapshot of the whole store into a new SQLite database file at
    /// `destination` (the format backups carry), while writes go on. `progress` hears
    /// how far it got and the total.
    func snapshot(to destination: String, progress: (_ done: Int, _ total: Int) -> Void) throws
    /// Checks the whole audit trail: every entry against the tree, every checkpoint's
    /// signature and consistency, and the registry against the entries that changed it.
    func verifyAudit(_ verifier: AuditVerifier, keptCheckpoint: Checkpoint?, progress: (_ done: UInt64, _ total: UInt64) -> Void) throws
        -> AuditVerification
}

extension GatewayStore {
    /// Appends `event` to the audit trail on its own, without signing a checkpoint: for a
    /// command that has no checkpoint key at hand (a restore without the keys). The
    /// gateway's next checkpoint covers it.
    @discardableResult
    public func recordWithoutCheckpoint(_ event: AuditEvent, at time: Date = Date()) throws -> AuditEntry {
        try write { writer in
            var appender = try writer.auditAppender(time: time, acceptingCorrection: false)
            return try appender.append(contentsOf: CollectionOfOne(event))[0]
        }
    }

    public func snapshot(to destination: String) throws {
        try snapshot(to: destination) { _, _ in }
    }
}
