import Foundation
import Testing

@Suite("sluice agreement") struct AgreementCommandTests {
    @Test func validatesTheShippedExamples() throws {
        let result = try SluiceProcess.sluice("agreement", "validate", "Agreements/")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("5 agreements valid"))
    }

    @Test func reportsEveryBrokenFileWithItsLineAndExitsTwo() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try String(contentsOfFile: SluiceProcess.repositoryRoot + "/Agreements/psb-household-check.yaml", encoding: .utf8)
        try source.replacingOccurrences(of: "status: active", with: "status: activ")
            .write(toFile: folder + "/one.yaml", atomically: true, encoding: .utf8)
        try source.replacingOccurrences(of: "id: psb-household-check", with: "id: other-check")
            .replacingOccurrences(of: "valid_until: 2028-12-31", with: "valid_until: 2026-02-30")
            .write(toFile: folder + "/two.yaml", atomically: true, encoding: .utf8)
        let result = try SluiceProcess.sluice(
            "agreement", "validate", folder, "--agencies", "Agreements/agencies.yaml")
        #expect(result.status == 2)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(
            errors == [
                "\(folder)/one.yaml:10:9: error: status \"activ\" is not one of draft, active, suspended, revoked; did you mean \"active\"?",
                "\(folder)/two.yaml:9:14: error: valid_until 2026-02-30 is not a real day on the calendar",
            ])
        #expect(result.stderr.contains(" 10 | status: activ\n    |         ^"))
    }

    @Test func validateWithJSON() throws {
        let result = try SluiceProcess.sluice("agreement", "validate", "Agreements", "--json")
        #expect(result.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == true)
        #expect((report?["agreements"] as? [String])?.count == 5)
    }

    @Test func listsAgreements() throws {
        let table = try SluiceProcess.sluice("agreement", "list")
        #expect(table.status == 0)
        #expect(table.stdout.split(separator: "\n").first?.hasPrefix("ID ") == true)
        #expect(table.stdout.contains("psb-household-check"))
        let json = try SluiceProcess.sluice("agreement", "list", "--json")
        let list = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(
            list?.compactMap { $0["id"] as? String } == [
                "amr-enterprise-registration", "bank-account-asset-tracing", "psb-household-check", "psb-identity-verification",
                "tax-arrears-records",
            ])
    }

    @Test func showsOneAgreement() throws {
        let json = try SluiceProcess.sluice("agreement", "show", "psb-household-check", "--json")
        #expect(json.status == 0)
        let agreement = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(agreement?["legal_basis"] as? String != nil)
        let fields = agreement?["fields"] as? [[String: Any]]
        let phone = fields?.first { $0["name"] as? String == "phone" }
        #expect((phone?["mask"] as? [String: Any])?["partial"] != nil)

        let text = try SluiceProcess.sluice("agreement", "show", "psb-household-check")
        #expect(text.stdout.contains("provider         district-psb (江东区公安分局)"))

        let missing = try SluiceProcess.sluice("agreement", "show", "psb-houshold-check")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("did you mean \"psb-household-check\"?"))
    }

    @Test func usageErrorsExitTwoAndHelpExitsZero() throws {
        #expect(try SluiceProcess.sluice("agreement", "frobnicate").status == 2)
        #expect(try SluiceProcess.sluice("--no-such-flag").status == 2)
        let help = try SluiceProcess.sluice("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("agreement"))
    }
}
