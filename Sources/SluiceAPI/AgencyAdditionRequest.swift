extension APIDocument {
    /// The body of `POST /v1/admin/agencies`: an agency (or a person who administers or audits), its roles and one PEM certificate; a further certificate for a registered agency carries the agency's proof of possession.
    public struct AgencyAdditionRequest: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var roles: [String]
        public var certificate: String
        public var possessionProof: String?

        public init(id: String, name: String, roles: [String], certificate: String, possessionProof: String?) {
            self.id = id
            self.name = name
            self.roles = roles
            self.certificate = certificate
            self.possessionProof = possessionProof
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case id
            case name
            case roles
            case certificate
            case possessionProof = "possession_proof"
        }
    }
}
