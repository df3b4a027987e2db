import Testing

@testable import SluiceCore

/// An agreement's `requests:` section and `push:`: read as written, every problem reported
/// with its line and column.
@Suite struct RequestTermsDecoderTests {
    static func withRequests(_ section: String) -> String { AgreementFixtures.valid + section + "\n" }

    @Test func readsTheTermsWithBothFormsOfSubjectField() throws {
        let agreement = try AgreementDecoder(registry: AgreementFixtures.registry).decode(
            Self.withRequests(
                """
                requests:
                  subject_fields: [id_number, { name: passport, type: passport }]
                  max_subjects: 50
                  purposes: [刑事案件审查, 公益诉讼]
                  answer_within_days: 5
                  answer_must_match: id_number
                push: false
                """), file: "a.yaml")
        let terms = try #require(agreement.requests)
        #expect(terms.subjectFields.map(\.name.description) == ["id_number", "passport"])
        #expect(terms.subjectFields.map(\.type) == [.cnID, .passport])
        #expect(terms.maxSubjects == 50 && terms.purposes == ["刑事案件审查", "公益诉讼"] && terms.answerWithinDays == 5)
        #expect(terms.requireCaseNumber && terms.answerMustMatch?.description == "id_number")
        #expect(!agreement.push)
        #expect(try AgreementDecoder(registry: AgreementFixtures.registry).decode(AgreementFixtures.valid, file: "a.yaml").push)
    }

    @Test func everyProblemOfTheSectionIsReportedWhereItIs() {
        let problems = AgreementFixtures.problems(
            Self.withRequests(
                """
                requests:
                  subject_fields: [id_number, nme, { name: name, type: cn_id }]
                  max_subjects: 10001
                  purposes: [x, x]
                  answer_within_days: 366
                  answer_must_match: passport
                  colour: blue
                """))
        let lines = problems.map { $0.split(separator: ":").prefix(2).joined(separator: ":") }
        #expect(problems.count == 7, "\(problems)")
        #expect(Set(lines) == ["a.yaml:41", "a.yaml:42", "a.yaml:43", "a.yaml:44", "a.yaml:45", "a.yaml:46"], "\(problems)")
        #expect(problems.contains { $0.contains("subject field \"nme\" is not in fields") })
        #expect(problems.contains { $0.contains("\"name\" is of type string in fields, not cn_id") })
        #expect(problems.contains { $0.contains("unknown key") || $0.contains("colour") })
    }

    @Test func pushFalseWithoutRequestsCouldNeverCarryAnything() {
        let problems = AgreementFixtures.problems(Self.withRequests("push: false"))
        #expect(problems.count == 1 && problems[0].contains("nothing could ever flow"), "\(problems)")
    }
}
