import Foundation
import Testing

/// `sluice request …` against a running gateway over mutual TLS: the procuratorate asks
/// about two people, the bureau lists the request, opens the subjects with `sluice open`,
/// answers in scope (an answer about someone else is refused, exit 1); the procuratorate
/// sees the request answered. No subject's value is in the trail or the gateway's log.
@Suite struct RequestCommandTests {
    static let subjects = #"[{"id_number":"11010519491231002X","name":"欧阳娜娜"},{"id_number":"110105198001010016","name":"张淑珍"}]"#

    @Test func aRequestIsAskedOpenedAndAnsweredWithTheCommands() throws {
        let gateway = try GatewayProcess()
        func sluice(_ arguments: [String]) throws -> SluiceProcess.Result {
            try SluiceProcess.run(SluiceProcess.executable, arguments + ["--gateway", gateway.url], in: gateway.folder)
        }
        try Self.subjects.write(toFile: gateway.folder + "/subjects.json", atomically: true, encoding: .utf8)
        let create = [
            "request", "create", "--as", "district-procuratorate", "--agreement", "psb-household-check", "--case", "京检刑诉〔2025〕12号",
            "--purpose", "刑事案件审查", "--officer", "王强", "--subjects", "subjects.json", "--idempotency-key", "case-12",
        ]
        let created = try sluice(create)
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(created.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
        // A retry with the same key is the same request.
        let retried = try sluice(create)
        #expect(retried.status == 0 && retried.stdout.split(separator: " ").dropFirst(2).first.map(String.init) == id, "\(retried.stderr)")
        // The consumer checks its request receipt offline, as a provider checks a package's.
        let verified = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", "\(id).request.jws", "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem"],
            in: gateway.folder)
        #expect(
            verified.status == 0 && verified.stdout.hasPrefix("valid receipt for request \(id): 2 subjects"), "\(verified.stdout) \(verified.stderr)")
        let receiptText = try String(contentsOfFile: gateway.folder + "/\(id).request.jws", encoding: .utf8)
        let parts = receiptText.split(separator: ".")
        let forged = parts[0] + "." + parts[1].replacingOccurrences(of: "A", with: "B") + "." + parts[2]
        try forged.write(toFile: gateway.folder + "/forged.jws", atomically: true, encoding: .utf8)
        let refused = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", "forged.jws", "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem"],
            in: gateway.folder)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")

        let listed = try sluice(["request", "list", "--as", "district-psb"])
        #expect(listed.status == 0 && listed.stdout.contains(id) && listed.stdout.contains("open"), "\(listed.stdout) \(listed.stderr)")
        let shown = try sluice(["request", "show", id, "--as", "district-psb", "--save-sealed", "subjects.jwe"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let opened = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "subjects.jwe", "--key", ".sluice/keys/agencies/district-psb.key.pem", "--trust", "Certs/dev-ca.pem", "--expect-signer",
                "Certs/gateway-signing.pem",
            ], in: gateway.folder)
        let subjectShown = opened.stdout.contains("110105198001010016")
        #expect(opened.status == 0 && subjectShown, "\(opened.stderr)")

        let outside = #"{"case_no":"A1","name":"李四海","id_number":"440304198511112224"}"#
        try (outside + "\n").write(toFile: gateway.folder + "/outside.ndjson", atomically: true, encoding: .utf8)
        let outOfScope = try sluice(["request", "answer", id, "--as", "district-psb", "--input", "outside.ndjson"])
        let repeated = outOfScope.stderr.contains("440304198511112224")
        #expect(outOfScope.status == 1 && outOfScope.stderr.contains("out-of-scope") && !repeated, "the out-of-scope answer was not refused as such")
        let inside = #"{"case_no":"A1","name":"张淑珍","id_number":"110105198001010016"}"#
        try (inside + "\n").write(toFile: gateway.folder + "/answer.ndjson", atomically: true, encoding: .utf8)
        let answered = try sluice(["request", "answer", id, "--as", "district-psb", "--input", "answer.ndjson"])
        #expect(answered.status == 0, "\(answered.stderr)")

        let asked = try sluice(["request", "list", "--as", "district-procuratorate", "--asked", "--all", "--json"])
        let page = try #require(try JSONSerialization.jsonObject(with: Data(asked.stdout.utf8)) as? [String: Any])
        let request = try #require((page["requests"] as? [[String: Any]])?.first)
        #expect(request["state"] as? String == "answered" && (request["packages"] as? [String])?.count == 1)
        let overdue = try sluice(["request", "list", "--as", "security-officer", "--overdue"])
        #expect(overdue.status == 0 && !overdue.stdout.contains(id), "\(overdue.stdout) \(overdue.stderr)")
        let declined = try sluice(["request", "decline", id, "--as", "district-psb", "--reason", "not_held"])
        #expect(declined.status == 1, "an answered request is not open any more")

        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"])
        #expect(metrics.body.split(separator: "\n").contains { $0 == "sluice_requests_overdue 0.0" }, "no overdue gauge")
        #expect(gateway.stop() == 0)
        // The case's trail: asked, read, an answer refused, an answer accepted.
        let byCase = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--case", "京检刑诉〔2025〕12号", "--json"], in: gateway.folder)
        let actions = byCase.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["action"] as? String
        }
        #expect(Set(actions) == ["request.created", "request.read", "submit.rejected", "submit.accepted", "request.refused"], "\(actions)")
        let trail = gateway.exportedTrailText
        let values = ["11010519491231002X", "110105198001010016", "440304198511112224", "欧阳娜娜", "张淑珍", "李四海"]
        let recorded = values.contains { trail.contains($0) || gateway.log.contains($0) }
        #expect(!recorded, "a subject's value was recorded")
    }
}
