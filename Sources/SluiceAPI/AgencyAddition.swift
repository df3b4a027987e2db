extension APIDocument {
    /// What `POST /v1/admin/agencies` did: a new agency, a further certificate, or a request waiting for a second admin.
    public struct AgencyAddition: Codable, Sendable, Hashable {
        public var agencyID: String
        public var sha256: String
        public var agencyCreated: Bool
        public var certificateAdded: Bool
        public var pendingApproval: Bool

        public init(agencyID: String, sha256: String, agencyCreated: Bool, certificateAdded: Bool, pendingApproval: Bool) {
            self.agencyID = agencyID
            self.sha256 = sha256
            self.agencyCreated = agencyCreated
            self.certificateAdded = certificateAdded
            self.pendingApproval = pendingApproval
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case agencyID = "agency_id"
            case sha256
            case agencyCreated = "agency_created"
            case certificateAdded = "certificate_added"
            case pendingApproval = "pending_approval"
        }
    }
}
