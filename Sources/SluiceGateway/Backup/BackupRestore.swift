import Foundation
import SluiceAudit
import SluiceStore

/// Puts an unpacked backup (``UnpackedBackup``) back as a gateway's data directory (and,
/// when asked, its certificates folder and `sluice.yaml`), never over existing state. The
/// backup is unpacked into a staging folder beside the target (``stagingPath(for:)``); then,
/// in order: the store is checked there (SQLite's integrity check, the whole audit trail
/// verified, its tree the one the manifest names); a checkpoint kept from before (a
/// receipt's, a partner's) must be inside the backup's tree, unless the operator accepts
/// the rollback; the restore is recorded as the first new audit entry; only then does the
/// staged store become the target, by a rename. A backup that fails any step leaves
/// nothing behind.
public struct BackupRestore {
    public let backup: UnpackedBackup
    public var dataDirectory: String
    public var certsDirectory: String?
    public var configurationPath: String?
    /// Keys the store's checkpoints must verify with (the backup's published ones when empty).
    public var verifiers: [NoteVerifierKey]
    public var keptCheckpoint: Checkpoint?
    public var acceptRollback = false
    public var actor: AuditActor

    public init(
        backup: UnpackedBackup, dataDirectory: String, certsDirectory: String?, configurationPath: String?, verifiers: [NoteVerifierKey],
        keptCheckpoint: Checkpoint?, acceptRollback: Bool, actor: AuditActor
    ) {
        self.backup = backup
        self.dataDirectory = dataDirectory
        self.certsDirectory = certsDirectory
        self.configurationPath = configurationPath
        self.verifiers = verifiers
        self.keptCheckpoint = keptCheckpoint
        self.acceptRollback = acceptRollback
        self.actor = actor
    }

    /// What a restore (or a check) established.
    public struct Outcome: Sendable {
        public var treeSize: UInt64
        public var checkpointsVerified: Int
        /// The size of the kept checkpoint the backup is behind, when the rollback was accepted.
        public var rolledBackFrom: UInt64?
        public var restoredEntry: UInt64?
    }

    /// Checks an unpacked backup's store as a restore would, without restoring it.
    public static func check(_ backup: UnpackedBackup, verifiers: [NoteVerifierKey], keptCheckpoint: Checkpoint?) throws -> Outcome {
        let database = try GatewayDatabase(path: backup.databasePath)
        let verified = try checkStore(database, backup: backup, verifiers: verifiers)
        if let keptCheckpoint { try Self.compare(database, manifest: backup.manifest, kept: keptCheckpoint) }
        return Outcome(treeSize: backup.manifest.treeSize, checkpointsVerified: verified, rolledBackFrom: nil, restoredEntry: nil)
    }

    /// Whether the targets can take a restore: new or empty folders, no configuration file.
    public static func checkTargets(dataDirectory: String, certsDirectory: String?, configurationPath: String?) throws {
        for target in [dataDirectory] + (certsDirectory.map { [$0] } ?? []) {
            guard isAbsentOrEmpty(target) else {
                throw BackupError("\(target) is not empty: a restore goes into a new or empty folder, never over existing state")
            }
        }
        if let configurationPath, FileManager.default.fileExists(atPath: configurationPath) {
            throw BackupError("\(configurationPath) exists: a restore does not overwrite a configuration")
        }
    }

    /// Restores from the backup unpacked in its staging folder, which is removed whatever happens.
    public func restore() throws -> Outcome {
        defer { try? FileManager.default.removeItem(atPath: backup.folder) }
        try Self.checkTargets(dataDirectory: dataDirectory, certsDirectory: certsDirectory, configurationPath: configurationPath)
        let staged = backup.folder + "/data"
        var outcome = Outcome(treeSize: backup.manifest.treeSize, checkpointsVerified: 0, rolledBackFrom: nil, restoredEntry: nil)
        do {
            let database = try GatewayDatabase(path: GatewayDatabase.path(inDataDirectory: staged))
            outcome.checkpointsVerified = try Self.checkStore(database, backup: backup, verifiers: verifiers)
            if let keptCheckpoint {
                do { try Self.compare(database, manifest: backup.manifest, kept: keptCheckpoint) } catch let rollback as Rollback {
                    guard acceptRollback else { throw BackupError(rollback.description + "; restore with --accept-rollback to go on from it anyway") }
                    outcome.rolledBackFrom = keptCheckpoint.size
                }
            }
            var details: [String: AuditDetail] = [
                "backup_created_at": .names([backup.manifest.createdAt]), "restored_size": .count(Int(backup.manifest.treeSize)),
            ]
            if let from = outcome.rolledBackFrom { details["rolled_back_from_size"] = .count(Int(from)) }
            let entry = try database.recordWithoutCheckpoint(
                AuditEvent(
                    actor: actor, action: .backupRestored, outcome: .success,
                    reason: outcome.rolledBackFrom == nil ? "restored from a backup" : "restored from a backup behind a kept checkpoint",
                    details: details))
            outcome.restoredEntry = entry.sequence
            try database.checkpointWriteAheadLog()
        }
        let certs = backup.folder + "/" + BackupManifest.Place.certs.dropLast()
        if let certsDirectory {
            if !FileManager.default.fileExists(atPath: certs) {
                try FileManager.default.createDirectory(atPath: certs, withIntermediateDirectories: true)
            }
            try DurableFile.move(certs, to: certsDirectory)
        }
        try DurableFile.move(staged, to: dataDirectory)
        if let configurationPath, let configuration = FileManager.default.contents(atPath: backup.folder + "/" + BackupManifest.Place.configuration) {
            try DurableFile.write(configuration, to: configurationPath, mode: 0o644)
        }
        return outcome
    }

    /// The store unpacked from a backup: sound, its trail verifying, its tree the manifest's.
    static func checkStore(_ database: GatewayDatabase, backup: UnpackedBackup, verifiers given: [NoteVerifierKey]) throws -> Int {
        let problems = try database.integrityProblems()
        guard problems.isEmpty else {
            throw BackupError("the store in the backup fails SQLite's integrity check: \(problems.prefix(3).joined(separator: "; "))")
        }
        let verifiers = given.isEmpty ? backup.publishedVerifiers : given
        guard !verifiers.isEmpty else { throw BackupError("no checkpoint verifier key to check the backup's audit trail with (give --verifier-key)") }
        let verification = try AuditVerifier(store: database, verifiers: verifiers).verify()
        guard verification.passed else {
            throw BackupError(
                "the audit trail in the backup does not verify: " + verification.findings.prefix(3).map(\.message).joined(separator: "; "))
        }
        let manifest = backup.manifest
        let root = try database.read { store in Data(try store.audit.tree(size: manifest.treeSize).root().bytes).base64EncodedString() }
        guard verification.size == manifest.treeSize, root == manifest.treeRoot else {
            throw BackupError(
                "the backup's audit trail is not the tree its manifest names (\(verification.size) entries, manifest \(manifest.treeSize))")
        }
        return verification.checkpointsChecked
    }

    /// A kept checkpoint the backup's tree does not reach: the backup is older.
    public struct Rollback: Error, CustomStringConvertible {
        public var kept: UInt64
        public var restored: UInt64
        public var description: String {
            "the backup holds \(restored) audit entries, but a checkpoint kept from this gateway covers \(kept): restoring it would roll back \(kept - restored) entries partners may hold receipts for"
        }
    }

    /// Whether the backup's tree contains the kept checkpoint's.
    static func compare(_ database: GatewayDatabase, manifest: BackupManifest, kept: Checkpoint) throws {
        guard kept.origin == manifest.logOrigin else {
            throw BackupError("the kept checkpoint is of the log \"\(kept.origin)\", the backup of \"\(manifest.logOrigin)\"")
        }
        guard kept.size <= manifest.treeSize else { throw Rollback(kept: kept.size, restored: manifest.treeSize) }
        let root = try database.read { store in try store.audit.tree(size: kept.size).root() }
        guard root == kept.root else {
            throw BackupError(
                "the backup's audit trail does not contain the kept checkpoint of \(kept.size) entries: it is another log, or was rewritten")
        }
    }

    static func isAbsentOrEmpty(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return true }
        return (try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) == true
    }

    /// A folder beside `target` (on its file system, so the restore is a rename) to unpack into.
    public static func stagingPath(for target: String) -> String {
        let standardized = (target as NSString).standardizingPath
        return standardized + ".restoring-" + UUID().uuidString.prefix(8)
    }
}
