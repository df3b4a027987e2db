extension APIDocument {
    /// A registered agency (or person who administers or audits), its roles and every certificate.
    public struct RegisteredAgency: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var roles: [String]
        public var addedAt: String
        public var addedBy: String
        public var certificates: [AgencyCertificate]

        public init(id: String, name: String, roles: [String], addedAt: String, addedBy: String, certificates: [AgencyCertificate]) {
            self.id = id
            self.name = name
            self.roles = roles
            self.addedAt = addedAt
            self.addedBy = addedBy
            self.certificates = certificates
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case id
            case name
            case roles
            case addedAt = "added_at"
            case addedBy = "added_by"
            case certificates
        }
    }
}
