extension APIDocument {
    /// One of an agency's certificates: its SHA-256, when it was added and, once revoked, when.
    public struct AgencyCertificate: Codable, Sendable, Hashable {
        public var sha256: String
        public var addedAt: String
        public var revokedAt: String?

        public init(sha256: String, addedAt: String, revokedAt: String?) {
            self.sha256 = sha256
            self.addedAt = addedAt
            self.revokedAt = revokedAt
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case sha256
            case addedAt = "added_at"
            case revokedAt = "revoked_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(addedAt, forKey: .addedAt)
            try container.encode(revokedAt, forKey: .revokedAt)
        }
    }
}
