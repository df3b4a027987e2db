import Crypto
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore
import X509

/// Makes a backup of a gateway, which may be running and serving meanwhile. In order:
/// a snapshot of the store (SQLite's online backup, in one read transaction); the audit
/// tree's size and root read from that snapshot; the certificates folder, `sluice.yaml`,
/// and, only when asked, the private keys (never the backup key itself); a manifest of it
/// all; one ustar archive; signed by the gateway as a JWS of `typ` `sluice-backup+jws` and
/// encrypted to the backup certificate as a JWE, both with the envelope machinery of
/// packages, so any JOSE library and `tar` open it.
public struct BackupWriter {
    public static let type = "sluice-backup+jws"

    public let configuration: GatewayConfiguration
    public var includeKeys: Bool
    /// Where `sluice.yaml` was read from, if the gateway has one.
    public var configurationFile: String?

    public init(configuration: GatewayConfiguration, includeKeys: Bool, configurationFile: String?) {
        self.configuration = configuration
        self.includeKeys = includeKeys
        self.configurationFile = configurationFile
    }

    /// What a backup run made.
    public struct Made: Sendable {
        public var compact: String
        public var manifest: BackupManifest
    }

    /// Makes the backup; `database` is the store when the caller has it open already (the
    /// daemon), else it is opened here beside whatever else uses it.
    public func write(database: GatewayDatabase? = nil, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Made {
        let recipient = try Self.recipient(configuration.resolvedBackupCertificate)
        let signingKey = try SigningKey(file: PrivateKeyFile(path: configuration.resolvedSigningKey))
        let chain = try CertificateFile.read(configuration.resolvedSigningCertificate)
        let sealer = try EnvelopeSealer(signingKey: signingKey, chain: chain, type: Self.type)

        let scratch = try Self.scratchFolder(in: configuration.dataDirectory)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let live = try database ?? GatewayDatabase(path: GatewayDatabase.path(inDataDirectory: configuration.dataDirectory))
        let snapshotPath = scratch + "/" + GatewayDatabase.fileName
        try live.snapshot(to: snapshotPath, progress: progress)
        let (size, root, origin) = try Self.auditState(of: snapshotPath, configuration: configuration)
        // Mapped, not read: its pages are the file's, and the archive is the one copy made.
        guard let snapshot = try? Data(contentsOf: URL(fileURLWithPath: snapshotPath), options: .alwaysMapped) else {
            throw BackupError("the snapshot at \(snapshotPath) cannot be read back")
        }

        var members = [TarArchive.Member(path: BackupManifest.Place.database, mode: 0o600, bytes: snapshot)]
        // The anchor may already be newer than the snapshot: a restore starts from its own.
        let anchor = (configuration.resolvedCheckpointAnchor as NSString).standardizingPath
        members += try Self.files(under: configuration.certsDirectory, as: BackupManifest.Place.certs, mode: 0o644) { path in
            let standardized = (path as NSString).standardizingPath
            return standardized != anchor && standardized != anchor + ".partial"
        }
        if let configurationFile, let text = FileManager.default.contents(atPath: configurationFile) {
            members.append(TarArchive.Member(path: BackupManifest.Place.configuration, mode: 0o644, bytes: text))
        }
        if includeKeys {
            let backupKey = (configuration.resolvedBackupKey as NSString).standardizingPath
            members += try Self.files(under: configuration.dataDirectory + "/keys", as: BackupManifest.Place.keys, mode: 0o600) { path in
                // The backup key would open the backup it is in; agencies' development keys are theirs.
                (path as NSString).standardizingPath != backupKey && !path.contains("/keys/agencies/")
            }
        }
        let now = Date()
        let manifest = BackupManifest(
            createdAt: AuditTime.format(now), logOrigin: origin, treeSize: size, treeRoot: root.base64EncodedString(), includesKeys: includeKeys,
            files: members.map {
                .init(path: $0.path, bytes: $0.bytes.count, sha256: LowercaseHex.encode(SHA256.hash(data: $0.bytes)))
            })
        let manifestBytes = try APIDocument.encoded(manifest)
        let archive = TarArchive(members: [TarArchive.Member(path: BackupManifest.path, mode: 0o644, bytes: manifestBytes)] + members)
        let compact = try sealer.seal(try archive.encoded(modifiedAt: now), for: recipient)
        return Made(compact: compact, manifest: manifest)
    }

    /// The backup certificate's key, refused unless it is one envelopes are sealed to.
    static func recipient(_ path: String) throws -> JWERecipient {
        guard let certificate = try CertificateFile.read(path).first else { throw BackupError("\(path) holds no certificate") }
        guard certificate.notValidAfter > Date() else { throw BackupError("the backup certificate \(path) has expired") }
        return try JWERecipient(certificate)
    }

    /// The audit tree's size and root in the store at `path`, and the log's name.
    static func auditState(of path: String, configuration: GatewayConfiguration) throws -> (UInt64, Data, String) {
        let database = try GatewayDatabase(path: path)
        let (size, root, note) = try database.read { store in
            let size = try store.audit.size()
            return (size, Data(try store.audit.tree(size: size).root().bytes), try store.audit.latestCheckpoint()?.note)
        }
        let origin =
            note.flatMap { $0.split(separator: "\n").first.map(String.init) }
            ?? (try? CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory).readSigner().name)
            ?? ""
        return (size, root, origin)
    }

    /// A private folder for the snapshot inside the data directory (same file system, same
    /// protection as the store itself).
    static func scratchFolder(in dataDirectory: String) throws -> String {
        let path = dataDirectory + "/backup-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// Every regular file under `folder`, as members under `place`, in a stable order.
    static func files(under folder: String, as place: String, mode: Int, including: (String) -> Bool = { _ in true }) throws
        -> [TarArchive.Member]
    {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var members: [TarArchive.Member] = []
        for case let relative as String in enumerator {
            let path = folder + "/" + relative
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, including(path) else { continue }
            guard let bytes = FileManager.default.contents(atPath: path) else { throw BackupError("\(path) cannot be read") }
            members.append(TarArchive.Member(path: place + relative, mode: mode, bytes: bytes))
        }
        return members.sorted { $0.path < $1.path }
    }
}

/// Why a backup could not be made, checked or restored: what to fix, never a value.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
