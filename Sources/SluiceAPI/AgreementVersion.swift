extension APIDocument {
    /// One stored version with its YAML exactly as applied.
    public struct AgreementVersion: Codable, Sendable, Hashable {
        public var agreementID: String
        public var version: Int
        public var appliedAt: String
        public var appliedBy: String
        public var appliedByCertificate: String?
        public var documentSHA256: String
        public var document: String

        public init(
            agreementID: String, version: Int, appliedAt: String, appliedBy: String, appliedByCertificate: String?, documentSHA256: String,
            document: String
        ) {
            self.agreementID = agreementID
            self.version = version
            self.appliedAt = appliedAt
            self.appliedBy = appliedBy
            self.appliedByCertificate = appliedByCertificate
            self.documentSHA256 = documentSHA256
            self.document = document
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreementID = "agreement_id"
            case version
            case appliedAt = "applied_at"
            case appliedBy = "applied_by"
            case appliedByCertificate = "applied_by_certificate"
            case documentSHA256 = "document_sha256"
            case document
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agreementID, forKey: .agreementID)
            try container.encode(version, forKey: .version)
            try container.encode(appliedAt, forKey: .appliedAt)
            try container.encode(appliedBy, forKey: .appliedBy)
            try container.encode(appliedByCertificate, forKey: .appliedByCertificate)
            try container.encode(documentSHA256, forKey: .documentSHA256)
            try container.encode(document, forKey: .document)
        }
    }
}
