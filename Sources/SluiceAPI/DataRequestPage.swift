extension APIDocument {
    /// A page of requests (`GET /v1/requests`) and the cursor of the next, if any.
    public struct DataRequestPage: Codable, Sendable, Hashable {
        public var requests: [DataRequestSummary]
        public var nextCursor: String?

        public init(requests: [DataRequestSummary], nextCursor: String?) {
            self.requests = requests
            self.nextCursor = nextCursor
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case requests
            case nextCursor = "next_cursor"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(requests, forKey: .requests)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }
}
