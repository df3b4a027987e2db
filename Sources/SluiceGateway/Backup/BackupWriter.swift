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
/// and, only when asked, the private keys (never the backup key itself); all of it as one
/// ustar archive streamed through ``BackupFileWriter`` into encrypted parts; last, the
/// manifest, signed by the gateway as a JWS of `typ` `sluice-backup+jws` and encrypted to
/// the backup certificate, both with the envelope machinery of packages. Memory stays
/// that of one part whatever the store's size; any JOSE library and `tar` open it.
public struct BackupWriter {
    public static let type = "sluice-backup+jws"
    /// The file name suffix of backups.
    public static let fileSuffix = ".sluice-backup"

    public let configuration: GatewayConfiguration
    public var includeKeys: Bool
    /// Where `sluice.yaml` was read from, if the gateway has one.
    public var configurationFile: String?
    /// Archive bytes per part (small in tests, to make many).
    var partBytes = BackupFileWriter.defaultPartBytes

    public init(configuration: GatewayConfiguration, includeKeys: Bool, configurationFile: String?) {
        self.configuration = configuration
        self.includeKeys = includeKeys
        self.configurationFile = configurationFile
    }

    /// What a backup run made.
    public struct Made: Sendable {
        public var path: String
        public var bytes: Int
        public var manifest: BackupManifest
    }

    /// The stage a long backup is at, for progress.
    public enum Stage: String, Sendable {
        case snapshot, archive
    }

    /// Makes the backup at `path` (owner-only); `store` is the store when the caller has
    /// it open already (the daemon), else it is opened here beside whatever else uses it.
    public func write(
        to path: String, store: (any GatewayStore)? = nil, progress: (_ stage: Stage, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
    ) throws -> Made {
        let recipient = try Self.recipient(configuration.resolvedBackupCertificate)
        let signingKey = try SigningKey(file: PrivateKeyFile(path: configuration.resolvedSigningKey))
        let chain = try CertificateFile.read(configuration.resolvedSigningCertificate)
        let sealer = try EnvelopeSealer(signingKey: signingKey, chain: chain, type: Self.type)

        let scratch = try Self.scratchFolder(in: configuration.dataDirectory)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let live = try store ?? configuration.storeLocation().open()
        let snapshotPath = scratch + "/" + GatewayDatabase.fileName
        try live.snapshot(to: snapshotPath) { progress(.snapshot, $0, $1) }
        let (size, root, origin) = try Self.auditState(of: snapshotPath, configuration: configuration)

        var sources = [Source(path: BackupManifest.Place.database, mode: 0o600, file: snapshotPath)]
        // The anchor may already be newer than the snapshot: a restore starts from its own.
        let anchor = (configuration.resolvedCheckpointAnchor as NSString).standardizingPath
        sources += try Self.files(under: configuration.certsDirectory, as: BackupManifest.Place.certs, mode: 0o644) { path in
            let standardized = (path as NSString).standardizingPath
            return standardized != anchor && standardized != anchor + ".partial"
        }
        if let configurationFile, FileManager.default.fileExists(atPath: configurationFile) {
            sources.append(Source(path: BackupManifest.Place.configuration, mode: 0o644, file: configurationFile))
        }
        if includeKeys {
            let backupKey = (configuration.resolvedBackupKey as NSString).standardizingPath
            sources += try Self.files(under: configuration.dataDirectory + "/keys", as: BackupManifest.Place.keys, mode: 0o600) { path in
                // The backup key would open the backup it is in; agencies' development keys are theirs.
                (path as NSString).standardizingPath != backupKey && !path.contains("/keys/agencies/")
            }
        }

        let now = Date()
        var file = try BackupFileWriter(path: path, recipient: recipient, mode: 0o600, partBytes: partBytes)
        do {
            let total = try sources.reduce(0) { $0 + TarArchive.blockSize + TarArchive.padded(try $1.size()) }
            var files: [BackupManifest.File] = []
            for source in sources {
                files.append(try source.archive(into: &file, modifiedAt: now) { progress(.archive, $0, total) })
            }
            try file.append([UInt8](repeating: 0, count: 2 * TarArchive.blockSize))
            let manifest = BackupManifest(
                createdAt: AuditTime.format(now), logOrigin: origin, treeSize: size, treeRoot: root.base64EncodedString(),
                includesKeys: includeKeys, files: files, archive: try file.finishArchive())
            try file.finish(manifestLine: try sealer.seal(try APIDocument.encoded(manifest), for: recipient))
            return Made(path: path, bytes: file.fileBytes, manifest: manifest)
        } catch {
            file.abandon()
            throw error
        }
    }

    /// A file to put in the archive, read from disk a slice at a time.
    struct Source {
        var path: String
        var mode: Int
        var file: String

        func size() throws -> Int {
            var status = stat()
            guard stat(file, &status) == 0 else { throw BackupError("\(file) cannot be read: \(String(cString: strerror(errno)))") }
            return Int(status.st_size)
        }

        /// Writes its header, bytes and padding; returns its manifest line.
        func archive(into writer: inout BackupFileWriter, modifiedAt time: Date, progress: (_ archived: Int) -> Void) throws -> BackupManifest.File {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw BackupError("\(file) cannot be read: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw BackupError("\(file) cannot be read: \(String(cString: strerror(errno)))") }
            let size = Int(status.st_size)
            try writer.append(try TarArchive.header(path: path, mode: mode, size: size, modifiedAt: time))
            var hash = SHA256()
            var slice = [UInt8](repeating: 0, count: 1 << 20)
            var done = 0
            while done < size {
                let count = slice.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, min($0.count, size - done)) }
                guard count > 0 else { throw BackupError("\(file) changed or could not be read while it was backed up") }
                try slice.withUnsafeBytes { bytes in
                    let piece = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                    hash.update(bufferPointer: piece)
                    try writer.append(piece)
                }
                done += count
                progress(writer.archiveBytes)
            }
            try writer.append([UInt8](repeating: 0, count: TarArchive.padded(size) - size))
            return BackupManifest.File(path: path, bytes: size, sha256: LowercaseHex.encode(hash.finalize()))
        }
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
    static func files(under folder: String, as place: String, mode: Int, including: (String) -> Bool = { _ in true }) throws -> [Source] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var sources: [Source] = []
        for case let relative as String in enumerator {
            let path = folder + "/" + relative
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, including(path) else { continue }
            sources.append(Source(path: place + relative, mode: mode, file: path))
        }
        return sources.sorted { $0.path < $1.path }
    }
}

/// Why a backup could not be made, checked or restored: what to fix, never a value.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
