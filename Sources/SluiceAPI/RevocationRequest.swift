extension APIDocument {
    /// The body of `POST /v1/admin/agencies/{agency}/revoke`: the certificate's SHA-256 and why.
    public struct RevocationRequest: Codable, Sendable, Hashable {
        public var fingerprint: String
        public var reason: String

        public init(fingerprint: String, reason: String) {
            self.fingerprint = fingerprint
            self.reason = reason
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case fingerprint
            case reason
        }
    }
}
