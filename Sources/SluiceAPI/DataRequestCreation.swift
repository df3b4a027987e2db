extension APIDocument {
    /// The body of a consumer's request (`POST /v1/agreements/{id}/requests`): the case, a
    /// purpose from the agreement's list, the requesting officer as the agency states it,
    /// and the subjects, each named by the agreement's subject fields.
    public struct DataRequestCreation: Codable, Sendable, Hashable {
        public var caseNumber: String?
        public var purpose: String
        public var officer: String
        public var subjects: [[String: String]]

        public init(caseNumber: String?, purpose: String, officer: String, subjects: [[String: String]]) {
            self.caseNumber = caseNumber
            self.purpose = purpose
            self.officer = officer
            self.subjects = subjects
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case caseNumber = "case_number"
            case purpose, officer, subjects
        }
    }
}
