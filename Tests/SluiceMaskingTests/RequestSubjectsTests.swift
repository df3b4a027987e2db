import SluiceCore
import Testing

@testable import SluiceMasking

/// A request's subjects against the agreement's terms: counted, checked by type, matched as
/// keyed pseudonyms of canonical values, and refused with subject numbers and the
/// agreement's field names only.
@Suite struct RequestSubjectsTests {
    static let yaml = """
        id: t
        title: t
        provider: a
        consumer: b
        purpose: p
        legal_basis: l
        valid_from: 2025-01-01
        valid_until: 2026-12-31
        status: active
        on_unlisted_field: reject
        limits: { max_records: 10, max_package_bytes: 1000, rate_per_minute: 1 }
        retention_days: 1
        fields:
          - { name: id_number, type: cn_id, mask: hash }
          - { name: name, type: string, mask: surname }
        requests:
          subject_fields: [id_number, name, { name: phone, type: cn_mobile }]
          max_subjects: 3
          purposes: [核查]
          answer_within_days: 5
          answer_must_match: id_number
        """

    func check(_ subjects: [[String: String]], maxValueBytes: Int = 4096) throws -> Result<RequestSubjects, RequestSubjects.ProblemList> {
        let agreement = try AgreementDecoder().decode(Self.yaml, file: "t.yaml")
        let terms = try #require(agreement.requests)
        return RequestSubjects.check(subjects, agreement: agreement, terms: terms, pseudonymizer: TestPseudonyms(), maxValueBytes: maxValueBytes)
    }

    @Test func theSameNumberWrittenTwoWaysIsOneSubject() throws {
        let checked = try check([["id_number": "11010519491231002x"], ["id_number": "１１０１０５１９４９１２３１００２Ｘ", "phone": "138 1234 5678"]]).get()
        #expect(checked.count == 2)
        #expect(checked.pseudonyms == [TestPseudonyms().pseudonym(of: "11010519491231002X")])
    }

    @Test func problemsNameSubjectAndFieldNeverAValue() throws {
        guard
            case .failure(let list) = try check([
                ["id_number": "110105194912310021"], ["name": "张三"], ["id_number": "11010519491231002X", "张三的电话": "13812345678"],
            ])
        else {
            Issue.record("accepted")
            return
        }
        let text = list.problems.map(\.description).joined(separator: "\n")
        #expect(list.problems.map(\.subject) == [1, 2, 3])
        #expect(text.contains("subject 1, field id_number") && text.contains("subject 2, field id_number: missing"))
        let repeated = ["110105194912310021", "张三", "13812345678"].contains { text.contains($0) }
        #expect(!repeated, "a problem repeats a value")
    }

    @Test func tooManyNoneAndTooLongAreRefused() throws {
        #expect(throws: RequestSubjects.ProblemList.self) { try check([]).get() }
        #expect(throws: RequestSubjects.ProblemList.self) { try check(Array(repeating: ["id_number": "11010519491231002X"], count: 4)).get() }
        #expect(throws: RequestSubjects.ProblemList.self) {
            try check([["id_number": "11010519491231002X", "name": String(repeating: "张", count: 2000)]], maxValueBytes: 4096).get()
        }
    }
}
