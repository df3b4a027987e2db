extension APIDocument {
    /// One request (`GET /v1/requests/{id}`): its summary, and for the provider its
    /// subjects, for the consumer the provider's decline note, each sealed to its reader
    /// (open with `sluice open`).
    public struct DataRequestDetail: Codable, Sendable, Hashable {
        public var request: DataRequestSummary
        public var sealedSubjects: String?
        public var sealedNote: String?

        public init(request: DataRequestSummary, sealedSubjects: String?, sealedNote: String?) {
            self.request = request
            self.sealedSubjects = sealedSubjects
            self.sealedNote = sealedNote
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case request
            case sealedSubjects = "sealed_subjects"
            case sealedNote = "sealed_note"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(request, forKey: .request)
            try container.encode(sealedSubjects, forKey: .sealedSubjects)
            try container.encode(sealedNote, forKey: .sealedNote)
        }
    }
}
