import Foundation

/// What a backup holds, signed by the gateway as the backup file's last line: when and of
/// which log it was made, the audit tree's size and root at the snapshot (what a restore is
/// checked against, and what rollback detection compares with a kept checkpoint), every
/// file with its size and SHA-256, and the archive's parts, each line's SHA-256 in order,
/// so that nothing is decrypted or inflated before it is known to be the gateway's.
public struct BackupManifest: Codable, Sendable, Hashable {
    public static let currentFormat = "sluice-backup/2"

    public var format: String
    public var createdAt: String
    /// The audit log's origin (its checkpoint key's name).
    public var logOrigin: String
    public var treeSize: UInt64
    /// The Merkle root of the first `treeSize` entries, base64.
    public var treeRoot: String
    /// Whether the gateway's private keys are inside (`--include-keys`).
    public var includesKeys: Bool
    public var files: [File]
    public var archive: Archive

    public struct File: Codable, Sendable, Hashable {
        public var path: String
        public var bytes: Int
        public var sha256: String

        public init(path: String, bytes: Int, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// The ustar archive of the files, cut into parts of at most `partBytes` bytes, each
    /// encrypted as one JWE line.
    public struct Archive: Codable, Sendable, Hashable {
        public var bytes: Int
        /// SHA-256 of the whole archive (the parts' plaintexts joined).
        public var sha256: String
        public var partBytes: Int
        public var parts: [Part]

        enum CodingKeys: String, CodingKey {
            case bytes, sha256, parts
            case partBytes = "part_bytes"
        }
    }

    /// One line of the file: its length without the newline and its SHA-256.
    public struct Part: Codable, Sendable, Hashable {
        public var bytes: Int
        public var sha256: String
    }

    public init(
        createdAt: String, logOrigin: String, treeSize: UInt64, treeRoot: String, includesKeys: Bool, files: [File], archive: Archive
    ) {
        self.format = Self.currentFormat
        self.createdAt = createdAt
        self.logOrigin = logOrigin
        self.treeSize = treeSize
        self.treeRoot = treeRoot
        self.includesKeys = includesKeys
        self.files = files
        self.archive = archive
    }

    enum CodingKeys: String, CodingKey {
        case format
        case createdAt = "created_at"
        case logOrigin = "log_origin"
        case treeSize = "tree_size"
        case treeRoot = "tree_root"
        case includesKeys = "includes_keys"
        case files, archive
    }

    /// Where each kind of file goes in the archive, and so in a restore.
    public enum Place {
        /// The store snapshot.
        public static let database = "data/sluice.sqlite"
        /// Private keys, under the data directory's `keys/`.
        public static let keys = "data/keys/"
        /// The certificates folder (public material).
        public static let certs = "certs/"
        /// `sluice.yaml`, when the gateway has one.
        public static let configuration = "config/sluice.yaml"
    }
}
