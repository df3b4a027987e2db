import Foundation

/// What a backup holds, written as its archive's first file (`manifest.json`): when and
/// of which log it was made, the audit tree's size and root at the snapshot (what a
/// restore is checked against, and what rollback detection compares with a kept
/// checkpoint), and every other file with its size and SHA-256.
public struct BackupManifest: Codable, Sendable, Hashable {
    public static let currentFormat = "sluice-backup/1"
    /// The archive member the manifest is written to.
    public static let path = "manifest.json"

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

    public init(createdAt: String, logOrigin: String, treeSize: UInt64, treeRoot: String, includesKeys: Bool, files: [File]) {
        self.format = Self.currentFormat
        self.createdAt = createdAt
        self.logOrigin = logOrigin
        self.treeSize = treeSize
        self.treeRoot = treeRoot
        self.includesKeys = includesKeys
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case format
        case createdAt = "created_at"
        case logOrigin = "log_origin"
        case treeSize = "tree_size"
        case treeRoot = "tree_root"
        case includesKeys = "includes_keys"
        case files
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
