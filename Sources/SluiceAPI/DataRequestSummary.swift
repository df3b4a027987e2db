extension APIDocument {
    /// One request as its parties (and admins and security officers) see it: never its
    /// subjects, which only the provider reads, sealed (``DataRequestDetail``).
    public struct DataRequestSummary: Codable, Sendable, Hashable {
        public var requestID: String
        public var agreementID: String
        public var provider: String
        public var consumer: String
        public var caseNumber: String?
        public var purpose: String
        public var officer: String
        public var subjects: Int
        public var createdAt: String
        public var deadline: String
        /// `open`, `answered` or `declined`.
        public var state: String
        /// Open past its deadline.
        public var overdue: Bool
        public var declineReason: String?
        /// The packages that answer it, oldest first.
        public var packages: [String]

        public init(
            requestID: String, agreementID: String, provider: String, consumer: String, caseNumber: String?, purpose: String,
            officer: String, subjects: Int, createdAt: String, deadline: String, state: String, overdue: Bool, declineReason: String?,
            packages: [String]
        ) {
            self.requestID = requestID
            self.agreementID = agreementID
            self.provider = provider
            self.consumer = consumer
            self.caseNumber = caseNumber
            self.purpose = purpose
            self.officer = officer
            self.subjects = subjects
            self.createdAt = createdAt
            self.deadline = deadline
            self.state = state
            self.overdue = overdue
            self.declineReason = declineReason
            self.packages = packages
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case requestID = "request_id"
            case agreementID = "agreement_id"
            case provider, consumer
            case caseNumber = "case_number"
            case purpose, officer, subjects
            case createdAt = "created_at"
            case deadline, state, overdue
            case declineReason = "decline_reason"
            case packages
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(requestID, forKey: .requestID)
            try container.encode(agreementID, forKey: .agreementID)
            try container.encode(provider, forKey: .provider)
            try container.encode(consumer, forKey: .consumer)
            try container.encode(caseNumber, forKey: .caseNumber)
            try container.encode(purpose, forKey: .purpose)
            try container.encode(officer, forKey: .officer)
            try container.encode(subjects, forKey: .subjects)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(deadline, forKey: .deadline)
            try container.encode(state, forKey: .state)
            try container.encode(overdue, forKey: .overdue)
            try container.encode(declineReason, forKey: .declineReason)
            try container.encode(packages, forKey: .packages)
        }
    }
}
