extension APIDocument {
    /// The answer to `POST /v1/packages/{id}/ack`.
    public struct Acknowledgement: Codable, Sendable, Hashable {
        public var packageID: String
        public var acknowledged: Bool
        /// False when the package had been acknowledged before.
        public var firstTime: Bool

        public init(packageID: String, acknowledged: Bool, firstTime: Bool) {
            self.packageID = packageID
            self.acknowledged = acknowledged
            self.firstTime = firstTime
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case packageID = "package_id"
            case acknowledged
            case firstTime = "first_time"
        }
    }
}
