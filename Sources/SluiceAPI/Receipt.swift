extension APIDocument {
    /// The answer to an accepted submission: the package's id and its signed receipt.
    public struct Receipt: Codable, Sendable, Hashable {
        public var packageID: String
        /// Compact JWS by the gateway's signing key (see `openapi.yaml`).
        public var receipt: String
        public var receiptType: String

        public init(packageID: String, receipt: String, receiptType: String) {
            self.packageID = packageID
            self.receipt = receipt
            self.receiptType = receiptType
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case packageID = "package_id"
            case receipt
            case receiptType = "receipt_type"
        }
    }
}
