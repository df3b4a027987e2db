extension APIDocument {
    /// A revoked certificate; `newlyRevoked` is false when it already was.
    public struct Revocation: Codable, Sendable, Hashable {
        public var agencyID: String
        public var sha256: String
        public var newlyRevoked: Bool

        public init(agencyID: String, sha256: String, newlyRevoked: Bool) {
            self.agencyID = agencyID
            self.sha256 = sha256
            self.newlyRevoked = newlyRevoked
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agencyID = "agency_id"
            case sha256
            case newlyRevoked = "newly_revoked"
        }
    }
}
