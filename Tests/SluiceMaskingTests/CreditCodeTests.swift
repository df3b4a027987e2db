import SluiceSampleData
import Testing

@testable import SluiceMasking

@Suite struct CreditCodeTests {
    @Test func theOrganisationCodeAndTheAuthorityTypePairAreChecked() {
        // GB 32100's example: an enterprise (9, 1) with organisation code M000100Y4.
        #expect(UnifiedSocialCreditCode.isValid("91350100M000100Y43"))
        #expect(UnifiedSocialCreditCode.organisationCheckCharacter(for: Array("M000100Y".utf8)) == UInt8(ascii: "4"))
        // The same code with the organisation check character changed and the final one
        // recomputed passes MOD 31 but not GB 11714.
        let body = Array("91350100M000100Y5".utf8)
        let recomputed = body + [UnifiedSocialCreditCode.checkCharacter(for: body)!]
        #expect(!UnifiedSocialCreditCode.isValid(String(decoding: recomputed, as: UTF8.self)))
        // Authority 9 issues types 1–3 only.
        let wrongPair = Array("95350100M000100Y4".utf8)
        #expect(
            !UnifiedSocialCreditCode.isValid(String(decoding: wrongPair + [UnifiedSocialCreditCode.checkCharacter(for: wrongPair)!], as: UTF8.self)))
    }

    /// 18-digit numbers shaped like ID numbers with a wrong check digit: how many pass as
    /// credit codes. Before the organisation-code and pair checks, 2.8 %.
    @Test func idShapedNumbersRarelyPassAsCreditCodes() {
        var fake = FakeData(seed: 11714)
        let checks = Array("10X98765432")
        var passed = 0
        let total = 20_000
        for _ in 0..<total {
            let valid = fake.residentID()
            let index = checks.firstIndex(of: valid.last!)!
            let wrong = String(valid.dropLast()) + String(checks[(index + 1 + Int.random(in: 0..<10, using: &fake.random)) % 11])
            if TextScanner().detections(in: "编号" + wrong + "。").contains(where: { $0.kind == .creditCode }) { passed += 1 }
        }
        print("ID-shaped numbers with a wrong check digit passing as credit codes: \(passed) of \(total)")
        #expect(Double(passed) / Double(total) < 0.004)
    }
}
