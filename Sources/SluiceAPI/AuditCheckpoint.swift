extension APIDocument {
    /// The latest signed checkpoint (`GET /v1/audit/checkpoint`): its tree size, when it was
    /// signed, and the C2SP signed note itself.
    public struct AuditCheckpoint: Codable, Sendable, Hashable {
        public var treeSize: UInt64
        public var signedAt: String
        public var note: String

        public init(treeSize: UInt64, signedAt: String, note: String) {
            self.treeSize = treeSize
            self.signedAt = signedAt
            self.note = note
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case treeSize = "tree_size"
            case signedAt = "signed_at"
            case note
        }
    }
}
