extension APIDocument {
    /// An RFC 9457 problem, `application/problem+json`: every refusal's answer.
    public struct Problem: Codable, Sendable, Hashable {
        /// `urn:sluice:problem:…`, a closed list (see `openapi.yaml`).
        public var type: String
        public var title: String
        public var status: Int
        public var detail: String
        public var requestID: String?
        /// Offending field names (unlisted fields), as the caller sent them; absent when none.
        public var fields: [String]?
        /// Where records failed, never with the values; absent when none.
        public var errors: [RecordError]?

        /// One record's failure.
        public struct RecordError: Codable, Sendable, Hashable {
            public var record: Int
            public var field: String?
            public var reason: String

            public enum CodingKeys: String, CodingKey, CaseIterable {
                case record, field, reason
            }

            public init(record: Int, field: String?, reason: String) {
                self.record = record
                self.field = field
                self.reason = reason
            }
        }

        public init(
            type: String, title: String, status: Int, detail: String, requestID: String?, fields: [String]?, errors: [RecordError]?
        ) {
            self.type = type
            self.title = title
            self.status = status
            self.detail = detail
            self.requestID = requestID
            self.fields = fields
            self.errors = errors
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case type, title, status, detail
            case requestID = "request_id"
            case fields, errors
        }
    }
}
