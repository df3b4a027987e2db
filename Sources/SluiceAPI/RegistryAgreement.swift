extension APIDocument {
    /// An agreement in the registry with its current version and status (`GET /v1/admin/agreements`).
    public struct RegistryAgreement: Codable, Sendable, Hashable {
        public var id: String
        public var version: Int
        public var status: String
        public var title: String
        public var provider: String
        public var consumer: String
        public var validFrom: String
        public var validUntil: String

        public init(
            id: String, version: Int, status: String, title: String, provider: String, consumer: String, validFrom: String, validUntil: String
        ) {
            self.id = id
            self.version = version
            self.status = status
            self.title = title
            self.provider = provider
            self.consumer = consumer
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case id
            case version
            case status
            case title
            case provider
            case consumer
            case validFrom = "valid_from"
            case validUntil = "valid_until"
        }
    }
}
