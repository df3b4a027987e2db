extension APIDocument {
    /// The gateway's signing certificates (`GET /v1/signing-certificates`), each chain in
    /// PEM with its leaf first: what a partner checks envelopes and receipts against. A `gm`
    /// JWS names its signer by key id only, so its certificate is fetched here (or taken from
    /// `Certs/gateway-signing-sm2.pem`); `gm` is empty when the gateway has no SM2 key.
    public struct SigningCertificates: Codable, Sendable, Hashable {
        public var jose: [String]
        public var gm: [String]

        public init(jose: [String], gm: [String]) {
            self.jose = jose
            self.gm = gm
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case jose
            case gm
        }
    }
}
