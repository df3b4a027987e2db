extension APIDocument {
    /// `GET /v1/admin/agreements`: every agreement in the registry, by id.
    public struct RegistryAgreementList: Codable, Sendable, Hashable {
        public var agreements: [RegistryAgreement]

        public init(agreements: [RegistryAgreement]) {
            self.agreements = agreements
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agreements
        }
    }
}
