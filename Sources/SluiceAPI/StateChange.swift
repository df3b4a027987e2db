extension APIDocument {
    /// A change of an agreement's state: suspended, activated or revoked, by whom and why.
    public struct StateChange: Codable, Sendable, Hashable {
        public var agreementID: String
        public var status: String
        public var reason: String
        public var changedAt: String
        public var changedBy: String
        public var changedByCertificate: String?

        public init(agreementID: String, status: String, reason: String, changedAt: String, changedBy: String, changedByCertificate: String?) {
            self.agreementID = agreementID
            self.status = status
            self.reason = reason
            self.changedAt = changedAt
            self.changedBy = changedBy
            self.changedByCertificate = changedByCertificate
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreementID = "agreement_id"
            case status
            case reason
            case changedAt = "changed_at"
            case changedBy = "changed_by"
            case changedByCertificate = "changed_by_certificate"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agreementID, forKey: .agreementID)
            try container.encode(status, forKey: .status)
            try container.encode(reason, forKey: .reason)
            try container.encode(changedAt, forKey: .changedAt)
            try container.encode(changedBy, forKey: .changedBy)
            try container.encode(changedByCertificate, forKey: .changedByCertificate)
        }
    }
}
