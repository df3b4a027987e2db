extension APIDocument {
    /// An RFC 9162 inclusion or consistency proof against a signed checkpoint, as
    /// `/v1/audit/proof/…` serves it and `sluice audit prove` prints it: hashes in base64,
    /// the checkpoint as its signed note, so anyone can check it without Sluice. The
    /// members of the proof not asked for are absent.
    public struct AuditProof: Codable, Sendable, Hashable {
        public var treeSize: UInt64
        public var leafIndex: UInt64?
        public var leafHash: String?
        /// The entry's canonical JSON, exactly the bytes its leaf hashes.
        public var entry: String?
        public var inclusionProof: [String]?
        public var oldSize: UInt64?
        public var consistencyProof: [String]?
        public var checkpoint: String

        public init(
            treeSize: UInt64, leafIndex: UInt64? = nil, leafHash: String? = nil, entry: String? = nil, inclusionProof: [String]? = nil,
            oldSize: UInt64? = nil, consistencyProof: [String]? = nil, checkpoint: String
        ) {
            self.treeSize = treeSize
            self.leafIndex = leafIndex
            self.leafHash = leafHash
            self.entry = entry
            self.inclusionProof = inclusionProof
            self.oldSize = oldSize
            self.consistencyProof = consistencyProof
            self.checkpoint = checkpoint
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case treeSize = "tree_size"
            case leafIndex = "leaf_index"
            case leafHash = "leaf_hash"
            case entry
            case inclusionProof = "inclusion_proof"
            case oldSize = "old_size"
            case consistencyProof = "consistency_proof"
            case checkpoint
        }
    }
}
