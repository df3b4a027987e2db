extension APIDocument {
    /// The body of a state change (suspend, activate, revoke): why, for the audit trail.
    public struct Reason: Codable, Sendable, Hashable {
        public var reason: String

        public init(reason: String) {
            self.reason = reason
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case reason
        }
    }
}
