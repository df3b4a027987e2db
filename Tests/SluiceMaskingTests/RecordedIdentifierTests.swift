import SluiceCore
import SluiceMasking
import Testing

@Suite("What of a typed identifier the gateway repeats") struct RecordedIdentifierTests {
    /// Only what the registry knows is repeated: an unknown id of the right form is as
    /// much the caller's choice as a name or an ID number.
    @Test func onlyKnownIdsAreRepeated() {
        #expect(RecordedIdentifier.agreement("psb-household-check", known: true) == "psb-household-check")
        #expect(RecordedIdentifier.agency("district-psb", known: true) == "district-psb")
        #expect(RecordedIdentifier.package("0193a1b2-0000-7000-8000-000000000000", known: true) == "0193a1b2-0000-7000-8000-000000000000")
        for text in ["No_such.agreement-2", "13812345678", "11010519491231002X", "zhang-san", "张三", "", "../etc"] {
            // Plain Bools: an expectation on the texts would print them when it fails.
            let replaced =
                RecordedIdentifier.agreement(text, known: false) == RecordedIdentifier.notAnAgreement
                && RecordedIdentifier.agency(text, known: false) == RecordedIdentifier.notAnAgency
                && RecordedIdentifier.package(text, known: false) == RecordedIdentifier.notAPackage
            #expect(replaced, "case of \(text.utf8.count) bytes")
        }
    }

    @Test func aNewIdentifierMustHaveTheFormAndNoPersonalData() {
        #expect(RecordedIdentifier.isAcceptableNewIdentifier("district-court"))
        for text in [
            "13812345678", "110105194912310021", "11010519491231002X", "6222021234567890123", "case-13812345678", "", "a b", "张三",
            "-leading", String(repeating: "a", count: 65), "someone@example.cn", "../etc",
        ] {
            let refused = !RecordedIdentifier.isAcceptableNewIdentifier(text)
            #expect(refused, "case of \(text.utf8.count) bytes")
        }
    }

    @Test func aReasonNamingSomeoneIsRefusedWithoutRepeatingIt() throws {
        #expect(try AdministrationReason.validated("  合同到期，工单 202511290001  ") == "合同到期，工单 202511290001")
        for reason in ["联系人电话13812345678", "误登记身份证 11010519491231002X", "mail ops.person@example.cn"] {
            do {
                _ = try AdministrationReason.validated(reason)
                Issue.record("a reason holding personal data was accepted")
            } catch {
                let message = error.message
                let repeatsValue = message.contains("13812345678") || message.contains("11010519491231002X") || message.contains("ops.person")
                #expect(message.contains("personal data"))
                #expect(!repeatsValue, "the refusal repeats the value")
            }
        }
        #expect(throws: AdministrationReason.Refusal.self) { try AdministrationReason.validated(" \n ") }
    }
}
