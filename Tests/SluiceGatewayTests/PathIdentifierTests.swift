import SluiceCore
import Testing

@testable import SluiceGateway

@Suite("What of a caller's path the gateway repeats") struct PathIdentifierTests {
    @Test func agreementIdsOfTheRightFormPassAndPersonalDataNeverDoes() {
        #expect(PathIdentifier.agreement("psb-household-check", known: false) == "psb-household-check")
        #expect(PathIdentifier.agreement("no_such_agreement-2", known: false) == "no_such_agreement-2")
        // A known id is the registry's own text, whatever its form.
        #expect(PathIdentifier.agreement("Tax.Arrears", known: true) == "Tax.Arrears")
        // Digits only, the form of agreement ids, but a mobile number, an ID number with a
        // wrong check digit (cautious: the shape is enough) or a bank card number.
        for text in ["13812345678", "110105194912310021", "6222021234567890123", "case-13812345678"] {
            #expect(PathIdentifier.agreement(text, known: false) == PathIdentifier.notAnAgreement, "case of \(text.utf8.count) bytes")
        }
        for text in ["", "Upper", "张三", "a b", String(repeating: "a", count: 65), "someone@example.cn"] {
            #expect(PathIdentifier.agreement(text, known: false) == PathIdentifier.notAnAgreement, "case of \(text.utf8.count) bytes")
        }
    }

    @Test func packageIdsPassOnlyInTheirOwnForm() {
        let id = TimeOrderedID.make()
        #expect(PathIdentifier.package(id) == id)
        for text in ["11010519491231002X", "13812345678", "", id + "x", "../" + id] {
            #expect(PathIdentifier.package(text) == PathIdentifier.notAPackage, "case of \(text.utf8.count) bytes")
        }
    }
}
