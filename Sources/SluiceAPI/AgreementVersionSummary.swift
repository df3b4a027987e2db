extension APIDocument {
    /// One stored version of an agreement in its history: who applied it, when, and its text's digest.
    public struct AgreementVersionSummary: Codable, Sendable, Hashable {
        public var version: Int
        public var appliedAt: String
        public var appliedBy: String
        public var appliedByCertificate: String?
        public var documentSHA256: String

        public init(version: Int, appliedAt: String, appliedBy: String, appliedByCertificate: String?, documentSHA256: String) {
            self.version = version
            self.appliedAt = appliedAt
            self.appliedBy = appliedBy
            self.appliedByCertificate = appliedByCertificate
            self.documentSHA256 = documentSHA256
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case version
            case appliedAt = "applied_at"
            case appliedBy = "applied_by"
            case appliedByCertificate = "applied_by_certificate"
            case documentSHA256 = "document_sha256"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(appliedAt, forKey: .appliedAt)
            try container.encode(appliedBy, forKey: .appliedBy)
            try container.encode(appliedByCertificate, forKey: .appliedByCertificate)
            try container.encode(documentSHA256, forKey: .documentSHA256)
        }
    }
}
