import ArgumentParser
import Foundation
import SluiceAudit
import SluiceCrypto
import SluiceGateway
import SluiceStore

/// `sluice backup …`: consistent, encrypted, signed backups of a gateway, and their restore.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the gateway's store, check a backup, restore one into a new folder.",
        discussion: """
            A backup is a file of lines: a tar archive (the store's snapshot, the certificates, \
            sluice.yaml and, with --include-keys, the private keys) cut into parts, each a JWE \
            encrypted to the backup certificate (backup.certificate in sluice.yaml); the last \
            line, a JWE around the manifest the gateway signs (a JWS), lists every part's SHA-256.
            """,
        subcommands: [BackupCreateCommand.self, BackupVerifyCommand.self, BackupRestoreCommand.self]
    )
}

/// `sluice backup create`: a snapshot while the gateway runs, sealed and recorded.
struct BackupCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Back up the store (while the gateway runs), sealed to the backup certificate.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @Option(name: .shortAndLong, help: "Where to write the backup (default: sluice-backup-TIME.sluice-backup).") var output: String?
    @Flag(name: .customLong("include-keys"), help: "Put the gateway's private keys in the backup too (never the backup key).")
    var includeKeys = false

    func run() throws {
        let configuration = try trailOptions.gatewayConfiguration()
        let stamp = AuditTime.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".", with: "")
        let path = output ?? "sluice-backup-\(stamp)" + BackupWriter.fileSuffix
        try OutputFile.checkWritable(path)
        var progress: (stage: BackupWriter.Stage, line: ProgressLine)?
        let made: BackupWriter.Made
        do {
            let file = FileManager.default.fileExists(atPath: GatewayConfigurationLoader.fileName) ? GatewayConfigurationLoader.fileName : nil
            made = try BackupWriter(configuration: configuration, includeKeys: includeKeys, configurationFile: file).write(to: path) {
                stage, done, total in
                if progress?.stage != stage {
                    progress?.line.finish()
                    progress = (stage, ProgressLine(label: stage.rawValue))
                }
                progress?.line.update(done: UInt64(done), total: UInt64(total))
            }
            progress?.line.finish()
        } catch {
            progress?.line.finish()
            throw CommandFailure.input("no backup was made: \(error)")
        }
        let trail = try trailOptions.openTrail()
        try trail.record(
            AuditEvent(
                actor: AuditTrailOptions.localActor, action: .backupCreated, outcome: .success,
                details: [
                    "tree_size": .count(Int(made.manifest.treeSize)), "bytes": .count(made.bytes), "files": .count(made.manifest.files.count),
                    "includes_keys": .flag(includeKeys),
                ]))
        print(
            "backed up \(counted(made.manifest.treeSize, "audit entry", "audit entries")) and \(counted(made.manifest.files.count, "file")) to \(path) (\(made.bytes) bytes in \(counted(made.manifest.archive.parts.count, "part"))"
                + (includeKeys ? ", private keys included" : ", no private keys") + ")")
    }
}

/// What opens a backup: the backup key and whom to believe as its signer.
struct BackupOpenOptions: ParsableArguments {
    @Option(help: "The backup private key (PEM, mode 0600; default: backup.key of sluice.yaml, or the development one).")
    var key: String?
    @Option(help: "Trust anchors for the gateway's signing certificate (PEM; default: the development CA, Certs/dev-ca.pem).")
    var trust: String?
    @Option(
        name: .customLong("expect-signer"),
        help: "The gateway's signing certificates, current and retired (PEM; default: the configured signing certificate).")
    var expectSigner: String?
    @Option(name: .customLong("max-bytes"), help: "Refuse a backup whose archive holds more than this many bytes.")
    var maxBytes = UnpackedBackup.defaultSizeLimit

    /// Unpacks `file` into `folder` (which must not exist), checked on the way.
    func unpack(_ file: String, into folder: String, configuration: GatewayConfiguration) async throws -> UnpackedBackup {
        let signers: SignerCheck
        let decryption: DecryptionKey
        do {
            decryption = try DecryptionKey(file: PrivateKeyFile(path: key ?? configuration.resolvedBackupKey))
            signers = SignerCheck(
                trustAnchors: try CertificateFile.read(trust ?? configuration.certsDirectory + "/dev-ca.pem"),
                signers: try CertificateFile.read(expectSigner ?? configuration.resolvedSigningCertificate))
        } catch {
            throw CommandFailure.input(String(describing: error))
        }
        let progress = ProgressLine(label: "reading")
        defer { progress.finish() }
        do {
            return try await UnpackedBackup.unpack(file, into: folder, key: decryption, signers: signers, sizeLimit: maxBytes) { done, total in
                progress.update(done: UInt64(done), total: UInt64(total))
            }
        } catch let error as JOSEError {
            throw CommandFailure(refusing: file, because: error)
        } catch let error as BackupError {
            throw CommandFailure.checkFailed("\(file): \(error.description)")
        }
    }
}

/// A checkpoint an operator or partner kept, and the keys it and the backup's trail verify with.
struct BackupCheckpointOptions: ParsableArguments {
    @Option(name: .customLong("checkpoint"), help: "A signed checkpoint kept from this gateway: the backup must contain it.")
    var checkpoint: String?
    @Option(
        name: .customLong("verifier-key"),
        help: "Checkpoint verifier key (name+id+key); repeat for rotated keys. Default: the backup's own published keys.")
    var verifierKeyPaths: [String] = []

    func verifiers() throws -> [NoteVerifierKey] {
        do { return try verifierKeyPaths.flatMap(CheckpointKeyFile.readVerifiers(at:)) } catch { throw CommandFailure.input("\(error)") }
    }

    /// The kept checkpoint, its signature checked with `verifiers` (or the backup's keys).
    func kept(_ backup: UnpackedBackup, verifiers given: [NoteVerifierKey]) throws -> Checkpoint? {
        guard let checkpoint else { return nil }
        return try AuditVerifyCommand.readKeptCheckpoint(checkpoint, verifiers: given.isEmpty ? backup.publishedVerifiers : given)
    }
}

/// `sluice backup verify FILE`: everything a restore would check, without restoring.
struct BackupVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a backup: signature, decryption, archive, store integrity and audit trail. Exit 1 on any problem.")

    @Argument(help: "The backup file.") var file: String
    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var opening: BackupOpenOptions
    @OptionGroup var checkpoints: BackupCheckpointOptions

    @Option(help: "Where to unpack the backup to check it (default: the temporary folder); it needs room for the store.")
    var scratch: String?

    func run() async throws {
        let folder = (scratch.map { $0 + "/" } ?? NSTemporaryDirectory()) + "sluice-backup-check-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = try await opening.unpack(file, into: folder, configuration: try trailOptions.gatewayConfiguration())
        let verifiers = try checkpoints.verifiers()
        let outcome: BackupRestore.Outcome
        do {
            outcome = try BackupRestore.check(backup, verifiers: verifiers, keptCheckpoint: try checkpoints.kept(backup, verifiers: verifiers))
        } catch let error as BackupError {
            throw CommandFailure.checkFailed("\(file): \(error.description)")
        } catch let rollback as BackupRestore.Rollback {
            throw CommandFailure.checkFailed("\(file): \(rollback.description)")
        }
        let manifest = backup.manifest
        print(
            "ok    signed by \(backup.signer.subject), made \(manifest.createdAt), \(counted(manifest.files.count, "file")) in \(counted(manifest.archive.parts.count, "part")), each as its manifest says"
        )
        print(
            "ok    store sound; audit trail of \(counted(outcome.treeSize, "entry", "entries")) recomputed, \(counted(outcome.checkpointsVerified, "signed checkpoint")) verified"
        )
        if checkpoints.checkpoint != nil { print("ok    the backup contains the kept checkpoint") }
        print(
            manifest.includesKeys
                ? "note  the backup holds the gateway's private keys" : "note  no private keys inside: a restore needs them put back")
    }
}

/// `sluice backup restore FILE --data-dir DIR`: into a new or empty folder only.
struct BackupRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new or empty data directory (and certificates folder), checked first.")

    @Argument(help: "The backup file.") var file: String
    @Option(name: .customLong("data-dir"), help: "The new data directory (must not exist, or be empty).") var dataDirectory: String
    @Option(name: .customLong("certs"), help: "Restore the certificates folder here too (must not exist, or be empty).") var certs: String?
    @Option(name: .customLong("config"), help: "Write the backup's sluice.yaml here (must not exist).") var configPath: String?
    @OptionGroup var opening: BackupOpenOptions
    @OptionGroup var checkpoints: BackupCheckpointOptions
    @Flag(name: .customLong("accept-rollback"), help: "Restore a backup older than --checkpoint anyway; the rollback is recorded.")
    var acceptRollback = false

    func run() async throws {
        var configuration = GatewayConfiguration()
        if let loaded = try? GatewayConfigurationLoader().load() { configuration = loaded }
        do {
            try BackupRestore.checkTargets(dataDirectory: dataDirectory, certsDirectory: certs, configurationPath: configPath)
            let parent = ((dataDirectory as NSString).standardizingPath as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        } catch let error as BackupError {
            throw CommandFailure.checkFailed("\(error.description); nothing was restored")
        }
        let staging = BackupRestore.stagingPath(for: dataDirectory)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let backup = try await opening.unpack(file, into: staging, configuration: configuration)
        let verifiers = try checkpoints.verifiers()
        let outcome: BackupRestore.Outcome
        do {
            outcome = try BackupRestore(
                backup: backup, dataDirectory: dataDirectory, certsDirectory: certs, configurationPath: configPath, verifiers: verifiers,
                keptCheckpoint: try checkpoints.kept(backup, verifiers: verifiers), acceptRollback: acceptRollback,
                actor: AuditTrailOptions.localActor
            ).restore()
        } catch let error as BackupError {
            throw CommandFailure.checkFailed("\(file): \(error.description); nothing was restored")
        }
        print(
            "restored \(counted(outcome.treeSize, "audit entry", "audit entries")) into \(dataDirectory)" + (certs.map { " and \($0)" } ?? "")
                + "; the restore is audit entry \(outcome.restoredEntry.map(String.init) ?? "?")")
        if let from = outcome.rolledBackFrom {
            print("note  rolled back from a kept checkpoint of \(counted(from, "entry", "entries")); recorded in the trail")
        }
        if !backup.manifest.includesKeys {
            print("note  no private keys were in the backup: put the gateway's keys in \(dataDirectory)/keys before it starts")
        }
    }
}
