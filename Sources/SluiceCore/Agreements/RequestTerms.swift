/// What an agreement lets its consumer ask for (its `requests:` section): which fields
/// name a subject, how many subjects one request may name, the purposes a request may give,
/// whether a case number is required, the days the provider has to answer, and the field
/// every answering record must carry with a value among the subjects asked about.
public struct RequestTerms: Sendable, Hashable, Encodable {
    /// A field a consumer may name subjects by, and the type its values are checked as: a
    /// field of the whitelist (its type), or one named with a type of its own (a
    /// verification service's subjects are named by fields its answers never carry).
    public struct SubjectField: Sendable, Hashable {
        public var name: FieldPath
        public var type: FieldType

        public init(name: FieldPath, type: FieldType) {
            self.name = name
            self.type = type
        }
    }

    public var subjectFields: [SubjectField]
    public var maxSubjects: Int
    /// The purposes a request may give, exactly as the agreement writes them.
    public var purposes: [String]
    public var requireCaseNumber: Bool
    public var answerWithinDays: Int
    /// A field of both the whitelist and the subject fields. With it, an answer holding a record about anyone not asked about is refused whole.
    public var answerMustMatch: FieldPath?

    public init(
        subjectFields: [SubjectField], maxSubjects: Int, purposes: [String], requireCaseNumber: Bool, answerWithinDays: Int,
        answerMustMatch: FieldPath?
    ) {
        self.subjectFields = subjectFields
        self.maxSubjects = maxSubjects
        self.purposes = purposes
        self.requireCaseNumber = requireCaseNumber
        self.answerWithinDays = answerWithinDays
        self.answerMustMatch = answerMustMatch
    }

    /// The most subjects any agreement may allow in one request.
    public static let largestSubjectCount = 10_000
    /// The longest deadline an agreement may set.
    public static let longestDeadlineDays = 365

    enum CodingKeys: String, CodingKey, CaseIterable {
        case subjectFields = "subject_fields"
        case maxSubjects = "max_subjects"
        case purposes
        case requireCaseNumber = "require_case_number"
        case answerWithinDays = "answer_within_days"
        case answerMustMatch = "answer_must_match"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subjectFields.map { ["name": $0.name.description, "type": $0.type.rawValue] }, forKey: .subjectFields)
        try container.encode(maxSubjects, forKey: .maxSubjects)
        try container.encode(purposes, forKey: .purposes)
        try container.encode(requireCaseNumber, forKey: .requireCaseNumber)
        try container.encode(answerWithinDays, forKey: .answerWithinDays)
        try container.encodeIfPresent(answerMustMatch?.description, forKey: .answerMustMatch)
    }
}
