import SluiceCore
import Testing

@testable import SluiceStore

@Suite("What of a typed identifier the gateway repeats") struct RecordedIdentifierTests {
    @Test func idsOfTheRightFormPassAndPersonalDataNeverDoes() {
        #expect(RecordedIdentifier.agreement("psb-household-check") == "psb-household-check")
        #expect(RecordedIdentifier.agreement("No_such.agreement-2") == "No_such.agreement-2")
        #expect(RecordedIdentifier.agency("district-psb") == "district-psb")
        // What the registry knows is its own text.
        let keptAsKnown = RecordedIdentifier.agreement("13812345678", known: true) == "13812345678"
        #expect(keptAsKnown)
        // The form of ids, but a mobile number, an ID number with a wrong check character
        // (cautious: the shape is enough), a bank card number.
        for text in ["13812345678", "110105194912310021", "11010519491231002X", "6222021234567890123", "case-13812345678"] {
            // Plain Bools: an expectation on the texts would print them when it fails.
            let replaced = RecordedIdentifier.agreement(text) == RecordedIdentifier.notAnAgreement
                && RecordedIdentifier.agency(text) == RecordedIdentifier.notAnAgency
            #expect(replaced, "case of \(text.utf8.count) bytes")
        }
        for text in ["", "a b", "张三", "-leading", String(repeating: "a", count: 65), "someone@example.cn", "../etc"] {
            let replaced = RecordedIdentifier.agreement(text) == RecordedIdentifier.notAnAgreement
            #expect(replaced, "case of \(text.utf8.count) bytes")
        }
    }

    @Test func packageIdsPassOnlyInTheirOwnForm() {
        let id = TimeOrderedID.make()
        #expect(RecordedIdentifier.package(id) == id)
        for text in ["11010519491231002X", "13812345678", "", id + "x", "../" + id] {
            let replaced = RecordedIdentifier.package(text) == RecordedIdentifier.notAPackage
            #expect(replaced, "case of \(text.utf8.count) bytes")
        }
    }

    @Test func aReasonNamingSomeoneIsRefusedWithoutRepeatingIt() throws {
        #expect(try AdministrationReason.validated("  合同到期，工单 202511290001  ") == "合同到期，工单 202511290001")
        for reason in ["联系人电话13812345678", "误登记身份证 11010519491231002X", "mail ops.person@example.cn"] {
            do {
                _ = try AdministrationReason.validated(reason)
                Issue.record("a reason holding personal data was accepted")
            } catch let error as AdministrationError {
                let message = error.description
                let repeatsValue = message.contains("13812345678") || message.contains("11010519491231002X") || message.contains("ops.person")
                #expect(message.contains("personal data"))
                #expect(!repeatsValue, "the refusal repeats the value")
            }
        }
        #expect(throws: AdministrationError.self) { try AdministrationReason.validated(" \n ") }
    }
}
