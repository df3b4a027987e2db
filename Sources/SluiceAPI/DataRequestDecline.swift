extension APIDocument {
    /// The body of a provider's decline (`POST /v1/requests/{id}/decline`): a reason from
    /// the fixed vocabulary, and a note for the consumer, sealed to it, never recorded.
    public struct DataRequestDecline: Codable, Sendable, Hashable {
        /// The reasons a provider may give.
        public enum Reason: String, Codable, Sendable, CaseIterable {
            case notHeld = "not_held"
            case outsideLegalBasis = "outside_legal_basis"
            case outsidePurpose = "outside_purpose"
            case needsApproval = "needs_approval"
            case subjectNotIdentifiable = "subject_not_identifiable"
            case other
        }

        public var reason: String
        public var note: String?

        public init(reason: String, note: String?) {
            self.reason = reason
            self.note = note
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case reason, note
        }
    }
}
