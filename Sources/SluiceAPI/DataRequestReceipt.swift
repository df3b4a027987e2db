extension APIDocument {
    /// The answer to a request made: its id, its deadline and the gateway's signed receipt.
    public struct DataRequestReceipt: Codable, Sendable, Hashable {
        public var requestID: String
        public var deadline: String
        /// Compact JWS by the gateway's signing key, `typ` `sluice-request-receipt+jws`.
        public var receipt: String

        public init(requestID: String, deadline: String, receipt: String) {
            self.requestID = requestID
            self.deadline = deadline
            self.receipt = receipt
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case requestID = "request_id"
            case deadline, receipt
        }
    }
}
