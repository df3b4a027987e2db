import Foundation
import SluiceCrypto
import Synchronization
import Testing

@Suite("sluice serve over mutual TLS", .serialized) struct ServeCommandTests {
    static let sample = """
        {"case_no":"A1","name":"欧阳娜娜","id_number":"11010519491231002X","phone":"13812345678","household_address":"北京市朝阳区建国路88号"}
        {"case_no":"A2","name":"张三","id_number":"440524188001010014"}

        """

    @Test func aProviderSubmitsAndTheConsumerFetchesOpensAndAcknowledges() throws {
        let gateway = try GatewayProcess()
        let body = gateway.folder + "/sample.ndjson"
        try Self.sample.write(toFile: body, atomically: true, encoding: .utf8)
        let submit = [
            "-H", "Content-Type: application/x-ndjson", "-H", "Idempotency-Key: first", "--data-binary", "@" + body,
            gateway.url + "/v1/agreements/psb-household-check/packages",
        ]
        let accepted = try gateway.curl(as: "district-psb", submit)
        #expect(accepted.status == 201, "\(accepted.body)")
        let receipt = try JSONSerialization.jsonObject(with: Data(accepted.body.utf8)) as? [String: Any]
        let packageID = try #require(receipt?["package_id"] as? String)

        // The same key and body: the same receipt; the same key with another body: 409.
        let again = try gateway.curl(as: "district-psb", submit)
        #expect(again.status == 200)
        #expect(
            (try JSONSerialization.jsonObject(with: Data(again.body.utf8)) as? [String: Any])?["receipt"] as? String == receipt?["receipt"] as? String
        )
        try (Self.sample + "{\"case_no\":\"A3\",\"name\":\"李四\",\"id_number\":\"11010519491231002X\"}\n").write(
            toFile: body, atomically: true, encoding: .utf8)
        let reused = try gateway.curl(as: "district-psb", submit)
        #expect(reused.status == 409)
        #expect(reused.body.contains("urn:sluice:problem:idempotency-key-reused"))

        // Concurrent requests with one new key: exactly one package, everyone gets its receipt.
        try Self.sample.write(toFile: body, atomically: true, encoding: .utf8)
        let concurrent = submit.map { $0 == "Idempotency-Key: first" ? "Idempotency-Key: burst" : $0 }
        let answers = Mutex<[(status: Int, body: String)]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            if let answer = try? gateway.curl(as: "district-psb", concurrent) { answers.withLock { $0.append(answer) } }
        }
        let burst = answers.withLock { $0 }
        #expect(burst.count == 6)
        #expect(burst.filter { $0.status == 201 }.count == 1)
        #expect(burst.filter { $0.status == 200 }.count == 5)
        let burstReceipts = Set(
            burst.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any])?["receipt"] as? String })
        #expect(burstReceipts.count == 1)

        let receiptFile = gateway.folder + "/receipt.jws"
        try (receipt?["receipt"] as? String ?? "").write(toFile: receiptFile, atomically: true, encoding: .utf8)
        let verified = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", receiptFile, "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem"], in: gateway.folder)
        #expect(verified.status == 0, "\(verified.stderr)")

        let inbox = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox"])
        #expect(inbox.status == 200)
        #expect(inbox.body.contains(packageID))
        // One package a page: the cursor walks both, each once; a cursor not from a page is 400.
        var listed: [String] = []
        var cursor: String?
        for _ in 0..<3 {
            let page = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox?limit=1" + (cursor.map { "&cursor=" + $0 } ?? "")])
            #expect(page.status == 200)
            let object = try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]
            listed += (object?["packages"] as? [[String: Any]] ?? []).compactMap { $0["package_id"] as? String }
            cursor = object?["next_cursor"] as? String
            if cursor == nil { break }
        }
        #expect(listed.count == 2 && Set(listed).count == 2 && listed.contains(packageID))
        #expect(cursor == nil)
        for bad in ["garbage", "-5", "%2B5", "1.5", "", "99999999999999999999"] {
            let refused = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox?cursor=" + bad])
            #expect(refused.status == 400, "cursor \(bad)")
        }

        let envelope = gateway.folder + "/package.jwe"
        let fetched = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/packages/" + packageID])
        #expect(fetched.status == 200)
        try fetched.body.write(toFile: envelope, atomically: true, encoding: .utf8)
        let opened = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", envelope, "--key", ".sluice/keys/agencies/district-procuratorate.key.pem", "--trust", "Certs/dev-ca.pem",
                "--expect-signer", "Certs/gateway-signing.pem",
            ], in: gateway.folder)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("\"name\":\"欧阳**\""))
        #expect(!opened.stdout.contains("11010519491231002X"))

        let acknowledged = try gateway.curl(as: "district-procuratorate", ["-X", "POST", gateway.url + "/v1/packages/\(packageID)/ack"])
        #expect(acknowledged.status == 200)

        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("sluice_submissions_total{agreement=\"psb-household-check\",outcome=\"accepted\"} 2"))
        #expect(metrics.body.contains("sluice_submissions_total{agreement=\"psb-household-check\",outcome=\"repeated\"} 6"))
        #expect(metrics.body.contains("sluice_submissions_total{agreement=\"psb-household-check\",outcome=\"rejected\"} 1"))
        #expect(metrics.body.contains("sluice_audit_checkpoint_age_seconds"))
        // Requests by route and status: the two stored packages' 201s among them.
        let created = metrics.body.split(separator: "\n").filter {
            $0.hasPrefix("sluice_http_requests_total{method=\"POST\"") && $0.contains("status=\"201\"")
        }
        #expect(created.count == 1 && created.first?.hasSuffix(" 2") == true, "\(created)")
        #expect(metrics.body.contains("sluice_http_request_duration_seconds_count{method=\"POST\""))
        // The group commits are measured: they handled at least the two stored packages and
        // at most the nine submissions that passed intake (repeats and the reused key too).
        #expect(metrics.body.contains("sluice_commit_duration_seconds_bucket{le=\"+Inf\"}"))
        let sumLine = metrics.body.split(separator: "\n").first { $0.hasPrefix("sluice_commit_submissions_sum ") }
        let committed = sumLine.flatMap { Double(String($0.dropFirst("sluice_commit_submissions_sum ".count))) } ?? 0
        #expect(committed >= 2 && committed <= 9, "submissions committed: \(committed)")

        // Two packages (the first and the burst); the refused submission (409) left its audit entry but no row.
        let sqlite = try #require(SluiceProcess.tool("sqlite3"))
        let rows = try SluiceProcess.run(sqlite, [gateway.folder + "/.sluice/sluice.sqlite", "SELECT COUNT(*) FROM packages"])
        #expect(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        #expect(gateway.stop() == 0)

        // After a clean stop every entry is under a signed checkpoint and the trail verifies.
        let verify = try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify", "--json"], in: gateway.folder)
        #expect(verify.status == 0, "\(verify.stdout)")
        let result = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(result?["entries_after_latest_checkpoint"] as? Int == 0)
        let query = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--package", packageID, "--json"], in: gateway.folder)
        let actions = query.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["action"] as? String
        }
        // The repeated request is audited too, under the same package.
        #expect(actions == ["submit.accepted", "submit.accepted", "package.fetched", "package.acknowledged"])
    }

    @Test func partiesOnlyReachWhatTheirRoleAllows() throws {
        let gateway = try GatewayProcess()
        let body = gateway.folder + "/sample.ndjson"
        try Self.sample.write(toFile: body, atomically: true, encoding: .utf8)
        func submit(as agency: String?, agreement: String = "psb-household-check") throws -> (status: Int, body: String) {
            try gateway.curl(
                as: agency,
                ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + body, gateway.url + "/v1/agreements/\(agreement)/packages"])
        }
        // The consumer cannot submit; an agency party to no agreement reaches nothing.
        let consumerSubmits = try submit(as: "district-procuratorate")
        #expect(consumerSubmits.status == 403)
        #expect(consumerSubmits.body.contains("application/problem+json") || consumerSubmits.body.contains("urn:sluice:problem:forbidden"))
        let accepted = try submit(as: "district-psb")
        #expect(accepted.status == 201)
        let packageID = try #require((try JSONSerialization.jsonObject(with: Data(accepted.body.utf8)) as? [String: Any])?["package_id"] as? String)
        // The provider cannot fetch; an unrelated agency gets the same answer as for a missing package.
        #expect(try gateway.curl(as: "district-psb", [gateway.url + "/v1/packages/" + packageID]).status == 404)
        #expect(try gateway.curl(as: "district-tax", [gateway.url + "/v1/packages/" + packageID]).status == 404)
        #expect(try gateway.curl(as: "district-tax", [gateway.url + "/v1/inbox"]).body.contains("\"packages\":[]"))
        #expect(try submit(as: "district-psb", agreement: "no-such-agreement").status == 404)
        // Personal data pasted into a path is not repeated: not in the answer, not in the trail.
        let idNumber = "11010519491231002X"
        let mobile = "13812345678"
        let byIDNumber = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/packages/" + idNumber])
        #expect(byIDNumber.status == 404)
        // Tested as plain Bools: an expectation on the texts would print them when it fails.
        let answerRepeatsIDNumber = byIDNumber.body.contains(idNumber)
        #expect(!answerRepeatsIDNumber, "the answer repeats the path")
        let toMobile = try submit(as: "district-psb", agreement: mobile)
        #expect(toMobile.status == 404)
        let answerRepeatsMobile = toMobile.body.contains(mobile)
        #expect(!answerRepeatsMobile, "the answer repeats the path")

        // No certificate: the TLS handshake itself fails (curl exit 56/35, no HTTP status).
        #expect(try gateway.curl(as: nil, [gateway.url + "/v1/inbox"]).status == 0)

        // A certificate from another CA: refused in the handshake.
        let openssl = try #require(SluiceProcess.tool("openssl"))
        let other = gateway.folder + "/other"
        let made = try SluiceProcess.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", other + ".key", "-out", other + ".pem",
                "-days", "2", "-subj", "/CN=district-psb", "-addext", "extendedKeyUsage=clientAuth",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let foreign = try gateway.curl([
            "-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", gateway.folder + "/Certs/dev-ca.pem",
            "--cert", other + ".pem", "--key", other + ".key", gateway.url + "/v1/inbox",
        ])
        #expect(foreign.status == 0)

        // A certificate from the right CA that no agency registered: 403, audited.
        let unregistered = gateway.folder + "/unregistered"
        let key = try SluiceProcess.run(
            openssl,
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", unregistered + ".key",
                "-out", unregistered + ".csr", "-subj", "/CN=stranger",
            ])
        #expect(key.status == 0)
        try "extendedKeyUsage=clientAuth\n".write(toFile: unregistered + ".ext", atomically: true, encoding: .utf8)
        let signed = try SluiceProcess.run(
            openssl,
            [
                "x509", "-req", "-in", unregistered + ".csr", "-CA", gateway.folder + "/Certs/dev-ca.pem",
                "-CAkey", gateway.folder + "/.sluice/keys/dev-ca.key.pem", "-CAcreateserial", "-days", "2", "-out", unregistered + ".pem",
                "-extfile", unregistered + ".ext",
            ])
        #expect(signed.status == 0, "\(signed.stderr)")
        let stranger = try gateway.curl([
            "-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", gateway.folder + "/Certs/dev-ca.pem",
            "--cert", unregistered + ".pem", "--key", unregistered + ".key", gateway.url + "/v1/inbox",
        ])
        #expect(stranger.status == 403)
        #expect(stranger.body.contains("urn:sluice:problem:unknown-certificate"))

        // Revoking the bureau's certificate (another process, the local admin) takes effect on the next request.
        let listed = try SluiceProcess.run(SluiceProcess.executable, ["agency", "list", "--json"], in: gateway.folder)
        let agencies = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["agencies"] as? [[String: Any]] ?? []
        let certificates = agencies.first { $0["id"] as? String == "district-psb" }?["certificates"] as? [[String: Any]]
        let fingerprint = try #require(certificates?.first?["sha256"] as? String)
        #expect(try submit(as: "district-psb").status == 201)
        let revoke = try SluiceProcess.run(
            SluiceProcess.executable, ["agency", "revoke", "district-psb", "--cert", fingerprint, "--reason", "key lost"], in: gateway.folder)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let refused = try submit(as: "district-psb")
        #expect(refused.status == 403)
        #expect(refused.body.contains("urn:sluice:problem:revoked-certificate"))
        let relisted = try SluiceProcess.run(SluiceProcess.executable, ["agency", "list"], in: gateway.folder)
        #expect(relisted.stdout.contains("revoked 20"))
        #expect(gateway.stop() == 0)
        // Both failed handshakes, the unregistered and the revoked certificate are
        // authentication failures: one entry per source and reason, with the count
        // (written each interval and at the stop).
        let failures = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--action", "auth.failed", "--json"], in: gateway.folder)
            .stdout.split(separator: "\n")
        let reasons = Set(
            failures.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["reason"] as? String
            })
        #expect(reasons == ["no-certificate", "untrusted-certificate", "unregistered-certificate", "revoked-certificate"], "\(reasons)")
        #expect(failures.count == 4)
        let revocations = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "query", "--action", "agency.revoked", "--json"], in: gateway.folder)
        #expect(revocations.stdout.split(separator: "\n").count == 1)
        let denials = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--action", "access.denied", "--json"], in: gateway.folder)
        #expect(denials.stdout.split(separator: "\n").count == 4)
        let rejected = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "query", "--action", "submit.rejected", "--json"], in: gateway.folder)
        #expect(rejected.stdout.split(separator: "\n").count == 2, "the unknown agreements")
        let export = try SluiceProcess.run(SluiceProcess.executable, ["audit", "export", "--format", "jsonl"], in: gateway.folder)
        #expect(export.status == 0)
        #expect(export.stdout.contains("(unknown package)") && export.stdout.contains("(unknown agreement)"))
        let trailHoldsPathData = export.stdout.contains(idNumber) || export.stdout.contains(mobile)
        #expect(!trailHoldsPathData, "a path's personal data is in the audit trail")
    }

    /// A consumer registered with a certificate whose key no envelope can be encrypted to
    /// (Ed25519 here) is found when the registry is loaded: packages for it are refused
    /// with a problem saying so, before anything is sealed or stored.
    @Test func packagesForAConsumerWithoutASealableKeyAreRefused() throws {
        let gateway = try GatewayProcess()
        let openssl = try #require(SluiceProcess.tool("openssl"))
        let edwards = gateway.folder + "/edwards"
        let request = try SluiceProcess.run(
            openssl, ["req", "-newkey", "ed25519", "-nodes", "-keyout", edwards + ".key", "-out", edwards + ".csr", "-subj", "/CN=edwards-bureau"])
        #expect(request.status == 0, "\(request.stderr)")
        try "extendedKeyUsage=clientAuth\n".write(toFile: edwards + ".ext", atomically: true, encoding: .utf8)
        let signed = try SluiceProcess.run(
            openssl,
            [
                "x509", "-req", "-in", edwards + ".csr", "-CA", gateway.folder + "/Certs/dev-ca.pem",
                "-CAkey", gateway.folder + "/.sluice/keys/dev-ca.key.pem", "-CAcreateserial", "-days", "2", "-out", edwards + ".pem",
                "-extfile", edwards + ".ext",
            ])
        #expect(signed.status == 0, "\(signed.stderr)")
        let added = try SluiceProcess.run(
            SluiceProcess.executable,
            ["agency", "add", "edwards-bureau", "--name", "Edwards Bureau", "--cert", edwards + ".pem", "--role", "partner"],
            in: gateway.folder)
        #expect(added.status == 0, "\(added.stderr)")
        let terms = try String(contentsOfFile: gateway.folder + "/Agreements/psb-household-check.yaml", encoding: .utf8)
            .replacingOccurrences(of: "id: psb-household-check", with: "id: edwards-check")
            .replacingOccurrences(of: "consumer: district-procuratorate", with: "consumer: edwards-bureau")
        try terms.write(toFile: gateway.folder + "/edwards-check.yaml", atomically: true, encoding: .utf8)
        let applied = try SluiceProcess.run(
            SluiceProcess.executable, ["agreement", "apply", gateway.folder + "/edwards-check.yaml", "--yes"], in: gateway.folder)
        #expect(applied.status == 0, "\(applied.stderr)")

        let body = gateway.folder + "/sample.ndjson"
        try Self.sample.write(toFile: body, atomically: true, encoding: .utf8)
        let refused = try gateway.curl(
            as: "district-psb",
            ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + body, gateway.url + "/v1/agreements/edwards-check/packages"])
        #expect(refused.status == 503)
        #expect(refused.body.contains("urn:sluice:problem:unavailable") && refused.body.contains("can be sealed to"))
        // The bureau's own agreement is unaffected.
        let accepted = try gateway.curl(
            as: "district-psb",
            ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + body, gateway.url + "/v1/agreements/psb-household-check/packages"])
        #expect(accepted.status == 201)
        #expect(gateway.stop() == 0)
        let stored = try SluiceProcess.run(SluiceProcess.executable, ["audit", "query", "--action", "submit.accepted", "--json"], in: gateway.folder)
        #expect(stored.stdout.split(separator: "\n").count == 1, "only the accepted package is stored")
        let rejected = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "query", "--action", "submit.rejected", "--json"], in: gateway.folder)
        #expect(rejected.stdout.split(separator: "\n").count == 1, "the refusal is audited")
    }

    @Test func thePartnerCommandsSubmitListFetchAndAcknowledge() throws {
        let gateway = try GatewayProcess()
        let file = gateway.folder + "/sample.ndjson"
        try Self.sample.write(toFile: file, atomically: true, encoding: .utf8)
        func sluice(_ arguments: [String]) throws -> SluiceProcess.Result {
            try SluiceProcess.run(SluiceProcess.executable, arguments + ["--gateway", gateway.url], in: gateway.folder)
        }
        let submitted = try sluice([
            "submit", "--as", "district-psb", "--agreement", "psb-household-check", "--file", file, "--idempotency-key", "cli-1",
        ])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.hasPrefix("accepted: package "))
        #expect(FileManager.default.fileExists(atPath: file + ".receipt.jws"))
        let repeated = try sluice([
            "submit", "--as", "district-psb", "--agreement", "psb-household-check", "--file", file, "--idempotency-key", "cli-1",
        ])
        #expect(repeated.stdout.hasPrefix("already accepted: package "))
        // Nowhere to keep the receipt: refused before anything is sent (still one package).
        let nowhere = try sluice([
            "submit", "--as", "district-psb", "--agreement", "psb-household-check", "--file", file, "--receipt", "no-such-folder/r.jws",
        ])
        #expect(nowhere.status == 2)
        #expect(nowhere.stderr.contains("cannot be written: there is no folder"), "\(nowhere.stderr)")

        let inbox = try sluice(["inbox", "--as", "district-procuratorate", "--json"])
        #expect(inbox.status == 0, "\(inbox.stderr)")
        let page = try JSONSerialization.jsonObject(with: Data(inbox.stdout.utf8)) as? [String: Any]
        let packages = page?["packages"] as? [[String: Any]] ?? []
        #expect(packages.count == 1)
        let packageID = try #require(packages.first?["package_id"] as? String)

        let fetched = try sluice(["fetch", "--as", "district-procuratorate", packageID, "--output", "package.jwe"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let signers = try sluice(["signing-certificates", "--as", "district-procuratorate", "--output", "signers.pem"])
        #expect(signers.status == 0 && signers.stdout.contains("saved 1 certificate to signers.pem"), "\(signers.stdout) \(signers.stderr)")
        let opened = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "package.jwe", "--key", ".sluice/keys/agencies/district-procuratorate.key.pem", "--trust", "Certs/dev-ca.pem",
                "--expect-signer", "signers.pem",
            ],
            in: gateway.folder)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try sluice(["ack", "--as", "district-procuratorate", packageID]).stdout.hasPrefix("acknowledged package"))
        #expect(try sluice(["ack", "--as", "district-procuratorate", packageID]).stdout.contains("already acknowledged"))

        // A refused submission exits 1 and says why, with the record numbers.
        try "{\"case_no\":\"B1\",\"name\":\"王五\",\"id_number\":\"110105194912310021\"}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try sluice(["submit", "--as", "district-psb", "--agreement", "psb-household-check", "--file", file])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("HTTP 422"))
        #expect(refused.stderr.contains("record 1, field id_number"))
        #expect(!refused.stderr.contains("110105194912310021"))
        #expect(gateway.stop() == 0)
    }

    /// A stored envelope damaged on disk (here cut short with the sqlite3 tool, as a bad
    /// block or a careless edit would leave it) is not served: the consumer gets a 500
    /// naming the package, the failed fetch is an audit entry of its own, and the
    /// trail still verifies.
    @Test func aDamagedEnvelopeIsAFailedAuditedFetch() throws {
        let gateway = try GatewayProcess()
        let body = gateway.folder + "/sample.ndjson"
        try Self.sample.write(toFile: body, atomically: true, encoding: .utf8)
        let accepted = try gateway.curl(
            as: "district-psb",
            ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + body, gateway.url + "/v1/agreements/psb-household-check/packages"])
        #expect(accepted.status == 201, "\(accepted.body)")
        let packageID = try #require((try JSONSerialization.jsonObject(with: Data(accepted.body.utf8)) as? [String: Any])?["package_id"] as? String)
        let sqlite = try #require(SluiceProcess.tool("sqlite3"))
        let damaged = try SluiceProcess.run(
            sqlite, [gateway.folder + "/.sluice/sluice.sqlite", "UPDATE packages SET envelope = substr(envelope, 1, 40) WHERE id = '\(packageID)'"])
        #expect(damaged.status == 0, "\(damaged.stderr)")

        let fetched = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/packages/\(packageID)"])
        #expect(fetched.status == 500)
        #expect(fetched.body.contains("urn:sluice:problem:internal-error"))
        #expect(fetched.body.contains("\(packageID) is damaged"))

        let entries = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "query", "--action", "package.fetched", "--package", packageID, "--json"], in: gateway.folder)
        #expect(entries.status == 0, "\(entries.stderr)")
        let lines = entries.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"outcome\":\"failed\"") == true)
        #expect(lines.first?.contains("\"reason\":\"damaged-envelope\"") == true)
        #expect(gateway.stop() == 0)
        let verified = try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify"], in: gateway.folder)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }

    /// A payload large enough to be deflated is sealed on the blocking pool rather than on
    /// the request's thread: it must be stored, fetched and opened exactly like a small one.
    @Test func aPackageSealedOnTheBlockingPoolIsStoredFetchedAndOpened() throws {
        let gateway = try GatewayProcess()
        let file = gateway.folder + "/large.ndjson"
        // The sample's first record, which has every field, under numbered case numbers.
        let line = try #require(Self.sample.split(separator: "\n").first)
        let count = 9_000
        var text = ""
        for number in 0..<count { text += line.replacingOccurrences(of: "\"A1\"", with: "\"L\(number)\"") + "\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        func sluice(_ arguments: [String]) throws -> SluiceProcess.Result {
            try SluiceProcess.run(SluiceProcess.executable, arguments + ["--gateway", gateway.url], in: gateway.folder)
        }
        let submitted = try sluice(["submit", "--as", "district-psb", "--agreement", "psb-household-check", "--file", file])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        // "accepted: package ID; receipt saved to …"
        let packageID = try #require(submitted.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) })
        let fetched = try sluice(["fetch", "--as", "district-procuratorate", packageID, "--output", "large.jwe"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let opened = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "large.jwe", "--key", ".sluice/keys/agencies/district-procuratorate.key.pem", "--trust", "Certs/dev-ca.pem",
                "--expect-signer", "Certs/gateway-signing.pem", "--output", "large.out",
            ],
            in: gateway.folder)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stderr.contains("records    \(count)"))
        let records = try String(contentsOfFile: gateway.folder + "/large.out", encoding: .utf8).split(separator: "\n")
        #expect(records.count == count)
        // The payload really was deflated: the masked records alone are past the threshold.
        #expect(EnvelopeSealer.compresses(payloadBytes: records.reduce(0) { $0 + $1.utf8.count + 1 }))
        #expect(records.last?.contains("\"L\(count - 1)\"") == true)
        #expect(gateway.stop() == 0)
    }
}
