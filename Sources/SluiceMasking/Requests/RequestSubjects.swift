import SluiceCore

/// The subjects a consumer names in a request, checked against the agreement: at least
/// one and no more than `max_subjects`; each named only by subject fields, with the field
/// answers must match when the agreement has one; every value valid for its field's type.
/// What the gateway keeps of them is their count and the keyed pseudonyms of the match
/// field's canonical values, the form an answering record's value is compared in.
///
/// Problems name the subject's number and the field (an agreement's own name), never a
/// value, and never a name the consumer made up. Pure.
public struct RequestSubjects: Sendable {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// 1-based; 0 for the list as a whole.
        public var subject: Int
        public var field: String?
        public var reason: String

        public var description: String {
            (subject == 0 ? "subjects" : "subject \(subject)") + (field.map { ", field \($0)" } ?? "") + ": " + reason
        }
    }

    public let count: Int
    /// The pseudonyms of the match field's values, sorted, without repeats.
    public let pseudonyms: [String]

    public static func check(
        _ subjects: [[String: String]], agreement: Agreement, terms: RequestTerms, pseudonymizer: any Pseudonymizer,
        maxValueBytes: Int = 4096
    ) -> Result<RequestSubjects, ProblemList> {
        var problems: [Problem] = []
        guard !subjects.isEmpty else { return .failure(ProblemList([Problem(subject: 0, field: nil, reason: "no subject is named")])) }
        guard subjects.count <= terms.maxSubjects else {
            return .failure(
                ProblemList([
                    Problem(subject: 0, field: nil, reason: "\(subjects.count) subjects, more than the \(terms.maxSubjects) the agreement allows")
                ]))
        }
        let allowed = Dictionary(terms.subjectFields.map { ($0.name.description, $0) }, uniquingKeysWith: { first, _ in first })
        let cautious = agreement.detection == .cautious
        var pseudonyms = Set<String>()
        for (index, subject) in subjects.enumerated() {
            let number = index + 1
            if subject.isEmpty { problems.append(Problem(subject: number, field: nil, reason: "names no field")) }
            let unknown = subject.keys.filter { allowed[$0] == nil }.count
            if unknown > 0 {
                problems.append(
                    Problem(
                        subject: number, field: nil,
                        reason: "\(unknown) field\(unknown == 1 ? " is" : "s are") not among the agreement's subject fields ("
                            + terms.subjectFields.map(\.name.description).joined(separator: ", ") + ")"))
            }
            if let match = terms.answerMustMatch, subject[match.description] == nil {
                problems.append(Problem(subject: number, field: match.description, reason: "missing: answers are matched on it"))
            }
            for (name, value) in subject.sorted(by: { $0.key < $1.key }) {
                guard let field = allowed[name] else { continue }
                guard value.utf8.count <= maxValueBytes else {
                    problems.append(Problem(subject: number, field: name, reason: "longer than \(maxValueBytes) bytes"))
                    continue
                }
                do {
                    let canonical = try FieldCheck.canonical(.string(value), as: field.type, cautious: cautious)
                    if field.name == terms.answerMustMatch { pseudonyms.insert(pseudonymizer.pseudonym(of: canonical)) }
                } catch {
                    problems.append(Problem(subject: number, field: name, reason: Self.reason(error)))
                }
            }
            if problems.count >= 100 { break }
        }
        guard problems.isEmpty else { return .failure(ProblemList(problems)) }
        return .success(RequestSubjects(count: subjects.count, pseudonyms: pseudonyms.sorted()))
    }

    /// The problems of a subject list, at most a hundred.
    public struct ProblemList: Error, Sendable {
        public var problems: [Problem]
        init(_ problems: [Problem]) { self.problems = Array(problems.prefix(100)) }
    }

    static func reason(_ reason: RecordProblem.Reason) -> String {
        switch reason {
        case .missing: return "missing"
        case .wrongKind(let expected, let found): return "expected \(expected), found \(found)"
        case .invalid(let type, let why): return "not a valid \(type.rawValue) (\(why))"
        }
    }
}
