import ArgumentParser
import Foundation
import SluiceClient

/// `sluice demo`: the whole exchange on one machine, in a temporary folder, each step
/// done by this same `sluice` program the way people would run it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a complete exchange locally: init, gateway, submit, fetch, open, a request and its answer, verify.",
        discussion: "Works from the repository root (it copies Agreements/). Everything happens in a temporary folder.")

    @Option(help: "Folder with the agreements and agencies.yaml to copy.") var agreements = "Agreements"
    @Flag(help: "Keep the temporary folder and print where it is.") var keep = false

    static let sample = """
        {"case_no":"2026-刑-0117","name":"欧阳娜娜","id_number":"11010519491231002X","sex":"女","birth_date":"1949-12-31","phone":"+86 138-1234-5678","household_address":"北京市朝阳区建国路88号","notes":"联系人手机13912345678，备用证件440524188001010014"}
        {"case_no":"2026-刑-0118","name":"司马光明","id_number":"440524188001010014","sex":"男","birth_date":"1880-01-01","phone":"13700001111","household_address":"广东省汕头市潮阳区海门镇","remarks":"not in the agreement: dropped"}

        """

    func run() async throws {
        guard FileManager.default.fileExists(atPath: agreements + "/agencies.yaml") else {
            throw CommandFailure.input("no \(agreements)/agencies.yaml here; run the demo from the repository root or pass --agreements")
        }
        let folder = NSTemporaryDirectory() + "sluice-demo-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: agreements, toPath: folder + "/Agreements")
        // The demo's copy drops unlisted fields rather than rejecting them, to show both.
        let agreementFile = folder + "/Agreements/psb-household-check.yaml"
        let text = try String(contentsOfFile: agreementFile, encoding: .utf8)
        try text.replacingOccurrences(of: "on_unlisted_field: reject", with: "on_unlisted_field: drop")
            .write(toFile: agreementFile, atomically: true, encoding: .utf8)
        try Self.sample.write(toFile: folder + "/household.ndjson", atomically: true, encoding: .utf8)
        defer {
            if keep { print("\nEverything is in \(folder)") } else { try? FileManager.default.removeItem(atPath: folder) }
        }
        let me = Self.executable
        func step(_ text: String) { print("\n▶ " + text) }
        func sluice(_ arguments: [String], show: Bool = true) throws -> String {
            let result = try LocalGatewayProcess.run(me, arguments, in: folder)
            if show { print(result.output.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
            guard result.status == 0 else { throw CommandFailure.checkFailed("step failed: sluice \(arguments.joined(separator: " "))") }
            return result.output
        }

        step("1. Create a development CA, certificates for the gateway and each agency, keys and the database")
        _ = try sluice(["init"], show: false)
        print("    done in \(folder): Certs/ (public), .sluice/ (private keys, database)")

        step("2. Start the gateway (mutual TLS; the agency is whoever holds a registered certificate)")
        let gateway: LocalGatewayProcess
        do { gateway = try LocalGatewayProcess(executable: me, folder: folder) } catch { throw CommandFailure.checkFailed("\(error)") }
        defer { gateway.stop() }
        let url = gateway.url
        print("    listening on \(url)")

        step("3. The public security bureau submits two household records under agreement psb-household-check")
        print("    fields sent: case_no, name, id_number, sex, birth_date, phone, household_address, notes, remarks")
        _ = try sluice(["submit", "--gateway", url, "--as", "district-psb", "--agreement", "psb-household-check", "--file", "household.ndjson"])

        step("4. The procuratorate lists its inbox, fetches the sealed package and opens it")
        let inbox = try sluice(["inbox", "--gateway", url, "--as", "district-procuratorate", "--json"], show: false)
        guard let page = try? JSONSerialization.jsonObject(with: Data(inbox.utf8)) as? [String: Any],
            let packageID = (page["packages"] as? [[String: Any]])?.first?["package_id"] as? String
        else { throw CommandFailure.checkFailed("the package did not arrive in the inbox") }
        print("    waiting: package \(packageID)")
        _ = try sluice(["fetch", "--gateway", url, "--as", "district-procuratorate", packageID, "--output", "package.jwe"])
        print("    what the procuratorate receives (masked as the agreement says; remarks dropped):")
        _ = try sluice([
            "open", "package.jwe", "--key", ".sluice/keys/agencies/district-procuratorate.key.pem", "--trust", "Certs/dev-ca.pem",
            "--expect-signer", "Certs/gateway-signing.pem",
        ])
        _ = try sluice(["ack", "--gateway", url, "--as", "district-procuratorate", packageID])

        step("5. The bureau checks its signed receipt offline")
        _ = try sluice([
            "receipt", "verify", "household.ndjson.receipt.jws", "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem",
            "--body", "household.ndjson",
        ])

        step("6. The procuratorate asks the bureau about one person for a case; the bureau opens the request and answers it")
        try #"[{"id_number":"440524188001010014","name":"司马光明"}]"#.write(toFile: folder + "/subjects.json", atomically: true, encoding: .utf8)
        let asked = try sluice([
            "request", "create", "--gateway", url, "--as", "district-procuratorate", "--agreement", "psb-household-check", "--case",
            "京检刑诉〔2026〕117号", "--purpose", "刑事案件审查", "--officer", "王强", "--subjects", "subjects.json",
        ])
        guard let requestID = asked.split(separator: " ").dropFirst(2).first.map(String.init) else {
            throw CommandFailure.checkFailed("the request was not made")
        }
        _ = try sluice(["request", "show", "--gateway", url, "--as", "district-psb", requestID, "--save-sealed", "request.jwe"], show: false)
        print("    what the bureau reads (the subjects, sealed to it; the gateway keeps their count only):")
        _ = try sluice([
            "open", "request.jwe", "--key", ".sluice/keys/agencies/district-psb.key.pem", "--trust", "Certs/dev-ca.pem", "--expect-signer",
            "Certs/gateway-signing.pem",
        ])
        let answer = Self.sample.split(separator: "\n").filter { $0.contains("440524188001010014\",\"sex") }.joined(separator: "\n") + "\n"
        try answer.write(toFile: folder + "/answer.ndjson", atomically: true, encoding: .utf8)
        _ = try sluice(["request", "answer", "--gateway", url, "--as", "district-psb", requestID, "--input", "answer.ndjson"])
        _ = try sluice(["request", "list", "--gateway", url, "--as", "district-procuratorate", "--asked", "--all"])

        step("7. Stop the gateway (it signs a final audit checkpoint) and verify the audit trail")
        gateway.stop()
        _ = try sluice(["audit", "verify"])
        _ = try sluice(["audit", "tail", "-n", "8"])
        print("\nDone: every access above is in the audit trail, and the trail verifies.")
    }

    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
