extension APIDocument {
    /// `GET /v1/admin/agencies`.
    public struct AgencyList: Codable, Sendable, Hashable {
        public var agencies: [RegisteredAgency]

        public init(agencies: [RegisteredAgency]) {
            self.agencies = agencies
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agencies
        }
    }
}
