extension APIDocument {
    /// The gateway's signing certificates (`GET /v1/signing-certificates`), each chain in
    /// PEM with its leaf first: what a partner checks envelopes and receipts against. Both
    /// profiles' JWS name their signer by thumbprint only (`x5t#S256`, or an SM2 `kid`), so
    /// a partner keeps these, with the retired chains that earlier packages and receipts
    /// name. `gm` is empty when the gateway has no SM2 key.
    public struct SigningCertificates: Codable, Sendable, Hashable {
        public var jose: [String]
        public var gm: [String]
        /// International-profile chains of keys rotated out, newest first.
        public var retiredJOSE: [[String]]

        public init(jose: [String], gm: [String], retiredJOSE: [[String]] = []) {
            self.jose = jose
            self.gm = gm
            self.retiredJOSE = retiredJOSE
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            jose = try container.decode([String].self, forKey: .jose)
            gm = try container.decodeIfPresent([String].self, forKey: .gm) ?? []
            retiredJOSE = try container.decodeIfPresent([[String]].self, forKey: .retiredJOSE) ?? []
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case jose
            case gm
            case retiredJOSE = "retired_jose"
        }
    }
}
