extension APIDocument {
    /// One of an agency's certificates: its SHA-256, when it was added and, once revoked, when.
    public struct AgencyCertificate: Codable, Sendable, Hashable {
        public var sha256: String
        public var addedAt: String
        public var revokedAt: String?
        /// `jose` for a client certificate, `gm` for an SM2 certificate `gm` packages are
        /// sealed to. Absent in documents from before the GM profile: read as `jose`.
        public var profile: String

        public init(sha256: String, addedAt: String, revokedAt: String?, profile: String = "jose") {
            self.sha256 = sha256
            self.addedAt = addedAt
            self.revokedAt = revokedAt
            self.profile = profile
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            sha256 = try container.decode(String.self, forKey: .sha256)
            addedAt = try container.decode(String.self, forKey: .addedAt)
            revokedAt = try container.decodeIfPresent(String.self, forKey: .revokedAt)
            profile = try container.decodeIfPresent(String.self, forKey: .profile) ?? "jose"
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case sha256
            case addedAt = "added_at"
            case revokedAt = "revoked_at"
            case profile
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(addedAt, forKey: .addedAt)
            try container.encode(revokedAt, forKey: .revokedAt)
            try container.encode(profile, forKey: .profile)
        }
    }
}
