import SluiceCore
import SluiceSampleData
import Testing

@testable import SluiceMasking

/// A record's own masked values, found again in its free text and masked there as in
/// their fields: the name masked to `张**` in `name` must not stay whole in `notes`.
@Suite("The record's own values in its free text") struct RecordValueTests {
    static let fields = """
          - { name: name, type: string, mask: surname }
          - { name: id_number, type: cn_id, mask: hash }
          - { name: age, type: integer, mask: { age_band: 10 } }
          - { name: alias, type: string }
          - { name: legal_rep.name, type: string, mask: surname }
          - { name: passport, type: passport, mask: redact }
          - { name: notes, type: text, scan: true }
        """

    /// A masker under an agreement with these fields (the fixture of `RecordMaskerTests`).
    func masker() throws -> RecordMasker {
        let tests = RecordMaskerTests()
        return tests.masker(try tests.agreement(Self.fields))
    }

    func masked(_ fields: [(String, RecordValue)]) throws -> (object: RecordObject?, summary: MaskingSummary) {
        var masker = try masker()
        let object = masker.mask(Record(number: 1, line: 1, fields: RecordObject(fields)))
        return (object, masker.summary)
    }

    func note(_ object: RecordObject?) -> String {
        if case .string(let text)? = object?["notes"] { return text }
        return ""
    }

    @Test(arguments: [
        "经查，该号码为张淑珍本人号码", "张 淑 珍于3月到院", "张\u{3000}淑珍称", "张\u{200B}淑\u{200D}珍", "见过张淑珍。张淑珍走了",
    ])
    func aMaskedNameIsMaskedInTheNoteHoweverWritten(text: String) throws {
        let (object, summary) = try masked([("name", .string("张淑珍")), ("notes", .string(text))])
        let result = note(object)
        let kept = result.filter { !$0.isWhitespace && !"\u{200B}\u{200D}\u{3000}".contains($0) }.contains("淑珍")
        #expect(!kept, "the given name stayed in the note")
        #expect(result.contains("张**"))
        #expect(summary.recordValuesInText >= 1)
        #expect(summary.maskedByField["notes"] == 1)
    }

    @Test func valuesAreMaskedAsTheirFieldMasksThem() throws {
        let (object, _) = try masked([
            ("name", .string("Zhang San")), ("id_number", .string("11010519491231002X")), ("passport", .string("E12345678")),
            ("legal_rep", .object(RecordObject([("name", .string("欧阳娜娜"))]))),
            ("notes", .string("ZHANG  SAN持证件１１０１０５１９４９１２３１００２ｘ和护照E12345678，法定代表人欧阳娜娜")),
        ])
        let text = note(object)
        #expect(text.hasPrefix("Zhang ***持证件"), "the Latin name, spaced and in capitals, masked as in its field")
        // Numbers of the kinds the detectors know are masked by them, in any spelling.
        let idKept = text.contains("１１０１０５１９４９１２３１００２ｘ") || text.contains("11010519491231002X")
        #expect(!idKept)
        #expect(!text.contains("E12345678"))
        #expect(text.hasSuffix("法定代表人欧阳**"))
    }

    @Test func shortValuesUnmaskedFieldsAndNumbersAreNotSearched() throws {
        let (object, summary) = try masked([
            ("name", .string("李")), ("alias", .string("小李子")), ("age", .number("45")),
            ("notes", .string("李先生、小李子均45岁")),
        ])
        #expect(note(object) == "李先生、小李子均45岁")
        #expect(summary.recordValuesInText == 0)
    }

    @Test func anotherRecordsValuesAreNotItsOwn() throws {
        var masker = try masker()
        _ = masker.mask(Record(number: 1, line: 1, fields: RecordObject([("name", .string("王小明")), ("notes", .string("无"))])))
        let second = masker.mask(Record(number: 2, line: 2, fields: RecordObject([("name", .string("赵六")), ("notes", .string("王小明来访"))])))
        guard case .string(let text)? = second?["notes"] else {
            Issue.record("no note")
            return
        }
        #expect(text == "王小明来访")
    }

    /// The corpus the issue measured: generated household records whose notes speak of
    /// their subject. No note keeps the subject's name, however it was typed.
    @Test func noGeneratedNoteKeepsItsSubjectsName() throws {
        let agreement = try #require(
            AgreementCatalog.load(paths: [AgreementCatalogPaths.repositoryRoot + "/Agreements/psb-household-check.yaml"])
                .agreements.first?.agreement)
        var masker = RecordMasker(agreement: agreement, pseudonymizer: TestPseudonyms(), referenceDate: CalendarDate(iso8601: "2026-12-04")!)
        var fake = FakeData(seed: 26)
        var kept = 0
        var mentioned = 0
        for number in 1...3_000 {
            let (record, name) = fake.householdRecordMentioningItsSubject(number: number)
            guard let output = masker.mask(Record(number: number, line: number, fields: record)), case .string(let text)? = output["notes"] else {
                continue
            }
            mentioned += 1
            let squeezed = String(
                text.unicodeScalars.filter { !$0.properties.isWhitespace && $0.properties.generalCategory != .format }.map(Character.init))
            if squeezed.contains(name) { kept += 1 }
        }
        #expect(mentioned == 3_000)
        #expect(kept == 0, "\(kept) of \(mentioned) notes keep their subject's name")
        #expect(masker.summary.recordValuesInText >= 3_000)
    }
}
