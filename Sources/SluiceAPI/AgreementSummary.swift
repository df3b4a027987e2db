extension APIDocument {
    /// An agreement as its parties see it in `GET /v1/agreements`.
    public struct AgreementSummary: Codable, Sendable, Hashable {
        public var id: String
        /// The version submissions run under now.
        public var version: Int
        public var title: String
        public var provider: String
        public var consumer: String
        public var status: String
        public var validFrom: String
        public var validUntil: String
        public var fields: [String]

        public init(
            id: String, version: Int, title: String, provider: String, consumer: String, status: String, validFrom: String,
            validUntil: String, fields: [String]
        ) {
            self.id = id
            self.version = version
            self.title = title
            self.provider = provider
            self.consumer = consumer
            self.status = status
            self.validFrom = validFrom
            self.validUntil = validUntil
            self.fields = fields
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case id, version, title, provider, consumer, status
            case validFrom = "valid_from"
            case validUntil = "valid_until"
            case fields
        }
    }

    /// `GET /v1/agreements`: the caller's agreements, by id.
    public struct AgreementList: Codable, Sendable, Hashable {
        public var agreements: [AgreementSummary]

        public init(agreements: [AgreementSummary]) {
            self.agreements = agreements
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreements
        }
    }
}
