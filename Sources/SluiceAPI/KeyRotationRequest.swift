extension APIDocument {
    /// The body of `POST /v1/admin/keys/rotate`: which key, and for a pending signing key the chain the agency's CA issued (PEM). No private key is ever sent: the gateway makes its own.
    public struct KeyRotationRequest: Codable, Sendable, Hashable {
        public var what: String
        public var certificate: String?

        public init(what: String, certificate: String?) {
            self.what = what
            self.certificate = certificate
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case what
            case certificate
        }
    }
}
