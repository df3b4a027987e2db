import Foundation
import SluiceClient
import Testing

/// The admin and audit API over real mutual TLS, driven by the CLI as admins and
/// officers use it from their desks (`--gateway … --as …` picks a development identity).
@Suite("Administration and review over the API", .serialized) struct AdministrationTests {
    static func agreement(status: String, withPhone: Bool) -> String {
        """
        id: lifecycle-check
        title: 生命周期测试
        provider: district-psb
        consumer: district-procuratorate
        purpose: 测试协议的生命周期
        legal_basis: 测试
        valid_from: 2025-01-01
        valid_until: 2029-12-31
        status: \(status)
        on_unlisted_field: reject
        limits: { max_records: 100, max_package_bytes: 1 MiB, rate_per_minute: 600 }
        retention_days: 7
        fields:
          - { name: case_no, type: string, required: true }
          - { name: name, type: string, mask: surname }
        \(withPhone ? "  - { name: phone, type: cn_mobile, mask: { partial: { keep_first: 3, keep_last: 4 } } }\n" : "")
        """
    }

    static let withPhone = #"{"case_no":"L1","name":"欧阳娜娜","phone":"13812345678"}"# + "\n"
    static let withoutPhone = #"{"case_no":"L2","name":"张三"}"# + "\n"

    /// `sluice` in the gateway's folder, through its API as `identity`.
    static func remote(_ gateway: GatewayProcess, as identity: String, _ arguments: [String]) throws -> SluiceProcess.Result {
        try SluiceProcess.run(SluiceProcess.executable, arguments + ["--gateway", gateway.url, "--as", identity], in: gateway.folder)
    }

    static func local(_ gateway: GatewayProcess, _ arguments: [String]) throws -> SluiceProcess.Result {
        try SluiceProcess.run(SluiceProcess.executable, arguments, in: gateway.folder)
    }

    static func submit(_ gateway: GatewayProcess, _ body: String) throws -> (status: Int, body: String) {
        let file = gateway.folder + "/body-\(UUID().uuidString).ndjson"
        try body.write(toFile: file, atomically: true, encoding: .utf8)
        return try gateway.curl(
            as: "district-psb",
            ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + file, gateway.url + "/v1/agreements/lifecycle-check/packages"])
    }

    /// The `agreement_version` a receipt's signed payload names.
    static func receiptVersion(_ answer: String) throws -> Int? {
        let object = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        let parts = (object?["receipt"] as? String)?.split(separator: ".") ?? []
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        let claims = try JSONSerialization.jsonObject(with: Data(base64Encoded: payload) ?? Data()) as? [String: Any]
        return (claims?["agreement"] as? [String: Any])?["version"] as? Int
    }

    @Test func anAgreementGoesThroughItsWholeLifeAndTheTrailShowsEachStep() throws {
        let gateway = try GatewayProcess()
        let file = gateway.folder + "/lifecycle-check.yaml"
        try Self.agreement(status: "draft", withPhone: true).write(toFile: file, atomically: true, encoding: .utf8)

        // Draft: stored as version 1, refuses packages.
        let first = try Self.remote(gateway, as: "gateway-admin", ["agreement", "apply", file, "--yes"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("+id: lifecycle-check"))
        #expect(first.stdout.contains("applied lifecycle-check version 1 (draft)"))
        let unchanged = try Self.remote(gateway, as: "gateway-admin", ["agreement", "apply", file, "--yes"])
        #expect(unchanged.status == 0)
        #expect(unchanged.stdout.contains("unchanged"))
        #expect(try Self.submit(gateway, Self.withPhone).body.contains("urn:sluice:problem:agreement-not-active"))

        // Active: a package goes through under version 1.
        #expect(
            try Self.remote(gateway, as: "gateway-admin", ["agreement", "activate", "lifecycle-check", "--reason", "signed by both"]).status == 0)
        let accepted = try Self.submit(gateway, Self.withPhone)
        #expect(accepted.status == 201, "\(accepted.body)")
        #expect(try Self.receiptVersion(accepted.body) == 1)

        // Suspended: refused; activated again: accepted.
        #expect(try Self.remote(gateway, as: "gateway-admin", ["agreement", "suspend", "lifecycle-check", "--reason", "review"]).status == 0)
        let suspended = try Self.submit(gateway, Self.withPhone)
        #expect(suspended.status == 409)
        #expect(suspended.body.contains("urn:sluice:problem:agreement-suspended"))
        let again = try Self.remote(gateway, as: "gateway-admin", ["agreement", "suspend", "lifecycle-check", "--reason", "twice"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already suspended"))
        // A reason naming someone is refused (it would stay in the trail for good), without repeating it.
        let named = try Self.remote(gateway, as: "gateway-admin", ["agreement", "suspend", "lifecycle-check", "--reason", "投诉人电话 13812345678"])
        #expect(named.status != 0)
        #expect(named.stderr.contains("personal data (cn_mobile)"), "the refusal does not name the kind found")
        let refusalRepeatsIt = named.stderr.contains("13812345678")
        #expect(!refusalRepeatsIt, "the refusal repeats the phone number")
        #expect(try Self.remote(gateway, as: "gateway-admin", ["agreement", "activate", "lifecycle-check", "--reason", "review done"]).status == 0)

        // Version 2 narrows the whitelist: the removed field is refused, the rest goes through under version 2.
        try Self.agreement(status: "active", withPhone: false).write(toFile: file, atomically: true, encoding: .utf8)
        let second = try Self.remote(gateway, as: "gateway-admin", ["agreement", "apply", file, "--yes"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("-  - { name: phone"))
        #expect(second.stdout.contains("applied lifecycle-check version 2 (active)"))
        let narrowed = try Self.submit(gateway, Self.withPhone)
        #expect(narrowed.status == 422)
        #expect(narrowed.body.contains("urn:sluice:problem:unlisted-fields"))
        #expect(narrowed.body.contains("phone"))
        #expect(!narrowed.body.contains("13812345678"))
        let underTwo = try Self.submit(gateway, Self.withoutPhone)
        #expect(underTwo.status == 201)
        #expect(try Self.receiptVersion(underTwo.body) == 2)

        // The request log names the calling agency and route, never a submitted value.
        let logLines = gateway.log.split(separator: "\n").filter { $0.contains("method=POST") && $0.contains("/packages") }
        #expect(logLines.contains { $0.contains("agency=district-psb") && $0.contains("status=201") })
        #expect(!gateway.log.contains("13812345678") && !gateway.log.contains("欧阳娜娜"), "no personal value in the log")

        // Revoked: refused forever, no way back, no new version.
        #expect(try Self.remote(gateway, as: "gateway-admin", ["agreement", "revoke", "lifecycle-check", "--reason", "case closed"]).status == 0)
        #expect(try Self.submit(gateway, Self.withoutPhone).body.contains("urn:sluice:problem:agreement-revoked"))
        let revive = try Self.remote(gateway, as: "gateway-admin", ["agreement", "activate", "lifecycle-check", "--reason", "oops"])
        #expect(revive.status == 1)
        #expect(revive.stderr.contains("revoked"))
        try Self.agreement(status: "active", withPhone: true).write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.remote(gateway, as: "gateway-admin", ["agreement", "apply", file, "--yes"]).status == 1)
        #expect(try Self.submit(gateway, Self.withoutPhone).status == 409)

        // History and diff, the same through the API as on the host.
        let history = try Self.remote(gateway, as: "gateway-admin", ["agreement", "history", "lifecycle-check", "--json"])
        #expect(history.status == 0, "\(history.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
        #expect((document?["versions"] as? [[String: Any]])?.count == 2)
        #expect(
            (document?["states"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == [
                "draft", "active", "suspended", "active", "revoked",
            ])
        #expect((document?["states"] as? [[String: Any]])?.last?["changed_by"] as? String == "gateway-admin")
        let adminCertificate = try #require(
            (try JSONSerialization.jsonObject(with: Data(Self.local(gateway, ["agency", "list", "--json"]).stdout.utf8)) as? [String: Any])
                .flatMap { ($0["agencies"] as? [[String: Any]])?.first { $0["id"] as? String == "gateway-admin" } }
                .flatMap { ($0["certificates"] as? [[String: Any]])?.first?["sha256"] as? String })
        #expect(
            (document?["versions"] as? [[String: Any]])?.allSatisfy { $0["applied_by_certificate"] as? String == adminCertificate } == true,
            "each version names the certificate of the admin who applied it")
        #expect((document?["states"] as? [[String: Any]])?.last?["changed_by_certificate"] as? String == adminCertificate)
        #expect(try Self.local(gateway, ["agreement", "history", "lifecycle-check", "--json"]).stdout == history.stdout)
        let applied = try Self.remote(gateway, as: "gateway-admin", ["agreement", "list", "--applied"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.split(separator: "\n").contains { $0.hasPrefix("lifecycle-check") && $0.contains(" 2 ") && $0.contains("revoked") })
        #expect(try Self.local(gateway, ["agreement", "list", "--applied"]).stdout == applied.stdout)
        let diff = try Self.remote(gateway, as: "gateway-admin", ["agreement", "diff", "lifecycle-check", "1", "2"])
        #expect(diff.stdout.contains("-status: draft"))
        #expect(diff.stdout.contains("+status: active"))

        // The security officer sees every step with the right actor, and the trail verifies.
        let steps = try Self.remote(gateway, as: "security-officer", ["audit", "query", "--agreement", "lifecycle-check", "--json"])
        #expect(steps.status == 0, "\(steps.stderr)")
        let entries = steps.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        // The admin's reads (dry runs, history) are entries too; this compares the changes.
        #expect(entries.contains { $0["action"] as? String == "registry.read" })
        let trail = entries.filter { $0["action"] as? String != "registry.read" }.map { entry -> String in
            let actor = (entry["actor"] as? [String: Any])?["id"] as? String ?? "?"
            return "\(entry["action"] as? String ?? "?") \(entry["outcome"] as? String ?? "?") \(actor)"
        }
        #expect(
            trail == [
                "agreement.applied success gateway-admin", "submit.rejected rejected district-psb",
                "agreement.activated success gateway-admin", "submit.accepted success district-psb",
                "agreement.suspended success gateway-admin", "submit.rejected rejected district-psb",
                "agreement.suspended rejected gateway-admin", "agreement.suspended rejected gateway-admin",
                "agreement.activated success gateway-admin",
                "agreement.applied success gateway-admin", "submit.rejected rejected district-psb",
                "submit.accepted success district-psb", "agreement.revoked success gateway-admin",
                "submit.rejected rejected district-psb", "agreement.activated rejected gateway-admin",
                "agreement.applied rejected gateway-admin", "submit.rejected rejected district-psb",
            ])
        let accepted2 = entries.filter { $0["action"] as? String == "submit.accepted" }
        #expect(accepted2.compactMap { ($0["agreement"] as? [String: Any])?["version"] as? Int } == [1, 2])
        #expect(
            try Self.local(gateway, ["audit", "query", "--agreement", "lifecycle-check", "--action", "agreement.applied", "--json"]).stdout
                == (try Self.remote(
                    gateway, as: "security-officer", ["audit", "query", "--agreement", "lifecycle-check", "--action", "agreement.applied", "--json"]
                ).stdout))
        let exported = try Self.local(gateway, ["audit", "export", "--format", "jsonl"])
        let trailHoldsPhone = exported.stdout.contains("13812345678")
        #expect(exported.status == 0)
        #expect(!trailHoldsPhone, "a phone number reached the audit trail")
        let remoteVerify = try Self.remote(gateway, as: "security-officer", ["audit", "verify"])
        #expect(remoteVerify.status == 0, "\(remoteVerify.stdout) \(remoteVerify.stderr)")
        #expect(remoteVerify.stdout.contains("matches"))
        #expect(gateway.stop() == 0)
        let localVerify = try Self.local(gateway, ["audit", "verify"])
        #expect(localVerify.status == 0, "\(localVerify.stdout)")
    }

    @Test func eachRoleIsRefusedWhatBelongsToAnotherAndEachRefusalIsAudited() throws {
        let gateway = try GatewayProcess()
        let denials: [(identity: String, method: String, path: String)] = [
            ("district-psb", "GET", "/v1/admin/agreements"), ("district-psb", "GET", "/v1/audit/entries"),
            ("district-psb", "POST", "/v1/admin/agreements/psb-household-check/suspend"),
            ("gateway-admin", "GET", "/v1/audit/entries"), ("gateway-admin", "GET", "/v1/audit/export"),
            ("gateway-admin", "GET", "/v1/inbox"), ("gateway-admin", "POST", "/v1/agreements/psb-household-check/packages"),
            ("security-officer", "POST", "/v1/admin/agreements"), ("security-officer", "POST", "/v1/admin/agencies"),
            ("security-officer", "GET", "/v1/admin/agencies"), ("security-officer", "POST", "/v1/agreements/psb-household-check/packages"),
            ("security-officer", "GET", "/v1/inbox"),
        ]
        for denial in denials {
            let answer = try gateway.curl(
                as: denial.identity,
                ["-X", denial.method, "-H", "Content-Type: application/json", "--data-binary", "{\"reason\":\"x\"}", gateway.url + denial.path])
            #expect(answer.status == 403, "\(denial.identity) \(denial.method) \(denial.path): \(answer.body)")
            #expect(answer.body.contains("urn:sluice:problem:role-required"), "\(denial.identity) \(denial.path)")
        }
        // The CLI says so too, and changes nothing.
        let officerSuspends = try Self.remote(gateway, as: "security-officer", ["agreement", "suspend", "psb-household-check", "--reason", "x"])
        #expect(officerSuspends.status == 1)
        #expect(officerSuspends.stderr.contains("admin role"))
        let adminReads = try Self.remote(gateway, as: "gateway-admin", ["audit", "query"])
        #expect(adminReads.status == 1)
        #expect(adminReads.stderr.contains("auditor role"))
        let active = try Self.remote(gateway, as: "gateway-admin", ["agreement", "history", "psb-household-check", "--json"])
        #expect(active.stdout.contains("\"status\" : \"active\""))
        #expect(!active.stdout.contains("suspended"))

        let refused = try Self.remote(gateway, as: "security-officer", ["audit", "query", "--action", "access.denied", "--json"])
        let lines = refused.stdout.split(separator: "\n")
        #expect(lines.count == denials.count + 2)
        #expect(lines.allSatisfy { $0.contains("needs the") })
    }

    @Test func anAdminRegistersAnAgencyThatCanThenConnectAndRevokesIt() async throws {
        let gateway = try GatewayProcess()
        let openssl = try #require(SluiceProcess.tool("openssl"))
        let base = gateway.folder + "/newcomer"
        try "extendedKeyUsage = clientAuth\n".write(toFile: base + ".ext", atomically: true, encoding: .utf8)
        for arguments in [
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", base + ".key", "-out", base + ".csr",
                "-subj", "/CN=newcomer",
            ],
            [
                "x509", "-req", "-in", base + ".csr", "-CA", gateway.folder + "/Certs/dev-ca.pem", "-CAkey",
                gateway.folder + "/.sluice/keys/dev-ca.key.pem",
                "-CAcreateserial", "-days", "2", "-out", base + ".pem", "-extfile", base + ".ext",
            ],
        ] {
            let result = try SluiceProcess.run(openssl, arguments, in: gateway.folder)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let inbox = ["--cacert", gateway.folder + "/Certs/dev-ca.pem", "--cert", base + ".pem", "--key", base + ".key", gateway.url + "/v1/inbox"]
        #expect(try gateway.curl(["-s", "-o", "-", "-w", "\n%{http_code}"] + inbox).status == 403)

        // One duty per identity: a partner that also audits is refused.
        let combined = try Self.remote(
            gateway, as: "gateway-admin",
            ["agency", "add", "district-court", "--name", "江东区人民法院", "--cert", base + ".pem", "--role", "partner,auditor"])
        #expect(combined.status == 1)
        #expect(combined.stderr.contains("separation of duties"), "\(combined.stderr)")
        let added = try Self.remote(
            gateway, as: "gateway-admin",
            ["agency", "add", "district-court", "--name", "江东区人民法院", "--cert", base + ".pem", "--role", "partner", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let addition = try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any]
        #expect(addition?["agency_created"] as? Bool == true)
        let fingerprint = try #require(addition?["sha256"] as? String)
        #expect(try gateway.curl(["-s", "-o", "-", "-w", "\n%{http_code}"] + inbox).status == 200)
        // A partner keeps its connection open across requests (the client reuses it): the
        // revocation must still hold from the next request on that connection.
        let kept = try GatewayClient(
            baseURL: gateway.url, identity: .init(certificate: base + ".pem", key: base + ".key", trust: gateway.folder + "/Certs/dev-ca.pem"))
        _ = try await kept.inbox()
        _ = try await kept.inbox()

        let listedRemote = try Self.remote(gateway, as: "gateway-admin", ["agency", "list"])
        #expect(listedRemote.stdout.split(separator: "\n").contains { $0.hasPrefix("district-court") && $0.contains("partner") })
        #expect(try Self.local(gateway, ["agency", "list"]).stdout == listedRemote.stdout)

        // A second certificate for the court: an admin alone cannot attach one (packages
        // would be sealed to it): it waits for a second admin. With the court's proof, signed
        // by its current key, it is added at once.
        let second = gateway.folder + "/second"
        for arguments in [
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", second + ".key", "-out", second + ".csr",
                "-subj", "/CN=newcomer2",
            ],
            [
                "x509", "-req", "-in", second + ".csr", "-CA", gateway.folder + "/Certs/dev-ca.pem", "-CAkey",
                gateway.folder + "/.sluice/keys/dev-ca.key.pem",
                "-CAcreateserial", "-days", "2", "-out", second + ".pem", "-extfile", base + ".ext",
            ],
        ] {
            #expect(try SluiceProcess.run(openssl, arguments, in: gateway.folder).status == 0)
        }
        let addSecond = ["agency", "add", "district-court", "--name", "江东区人民法院", "--cert", second + ".pem", "--role", "partner"]
        let unproven = try Self.remote(gateway, as: "gateway-admin", addSecond)
        #expect(unproven.status == 0, "\(unproven.stderr)")
        #expect(unproven.stdout.contains("a second, different admin"), "\(unproven.stdout)")
        let again = try Self.remote(gateway, as: "gateway-admin", addSecond)
        #expect(again.status == 1 && again.stderr.contains("second, different admin"), "\(again.stderr)")
        let proof = try Self.local(
            gateway,
            [
                "agency", "prove-possession", "district-court", "--key", base + ".key", "--new-cert", second + ".pem", "--output",
                gateway.folder + "/proof.jws",
            ])
        #expect(proof.status == 0, "\(proof.stderr)")
        let proven = try Self.remote(gateway, as: "gateway-admin", addSecond + ["--proof", gateway.folder + "/proof.jws"])
        #expect(proven.status == 0, "\(proven.stderr)")

        let revoked = try Self.remote(
            gateway, as: "gateway-admin", ["agency", "revoke", "district-court", "--cert", fingerprint, "--reason", "test over"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let after = try gateway.curl(["-s", "-o", "-", "-w", "\n%{http_code}"] + inbox)
        #expect(after.status == 403)
        #expect(after.body.contains("urn:sluice:problem:revoked-certificate"))
        do {
            _ = try await kept.inbox()
            Issue.record("a revoked certificate was served on its open connection")
        } catch let error as GatewayClientError {
            #expect(error.status == 403)
            #expect(error.problemType == "urn:sluice:problem:revoked-certificate")
        }
        await kept.shutdown()

        // A profile in the user's configuration names the gateway and the officer's files.
        let config = gateway.folder + "/xdg/sluice"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try """
        profiles:
          officer:
            gateway: \(gateway.url)
            cert: \(gateway.folder)/Certs/agencies/security-officer.pem
            key: \(gateway.folder)/.sluice/keys/agencies/security-officer.key.pem
            ca: \(gateway.folder)/Certs/dev-ca.pem
        """.write(toFile: config + "/config.yaml", atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": gateway.folder + "/xdg"]
        let audited = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "query", "--actor", "gateway-admin", "--json", "--profile", "officer"], in: gateway.folder,
            environment: environment)
        let byVariable = try SluiceProcess.run(
            SluiceProcess.executable, ["audit", "checkpoint", "--sign"], in: gateway.folder,
            environment: environment.merging(["SLUICE_PROFILE": "officer"]) { $1 })
        #expect(byVariable.status == 0, "\(byVariable.stderr)")
        let reads = try Self.local(gateway, ["audit", "query", "--action", "audit.checkpoint_read", "--json"])
        #expect(reads.stdout.contains("\"id\":\"security-officer\""), "the read is attributed to the officer's certificate")
        let unknown = try SluiceProcess.run(
            SluiceProcess.executable, ["agency", "list", "--profile", "nobody"], in: gateway.folder, environment: environment)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("it has: officer"))
        #expect(audited.stdout.contains("\"action\":\"agency.added\""))
        #expect(audited.stdout.contains("\"action\":\"agency.revoked\""))
    }

    @Test func rotatedKeysSignFromThenOnAndWhatTheOldKeysSignedStillVerifies() throws {
        let gateway = try GatewayProcess()
        let submit = [
            "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + gateway.folder + "/one.ndjson",
            gateway.url + "/v1/agreements/psb-household-check/packages",
        ]
        try #"{"case_no":"R1","name":"张三","id_number":"11010519491231002X"}"#.appending("\n")
            .write(toFile: gateway.folder + "/one.ndjson", atomically: true, encoding: .utf8)
        func receipt(_ name: String) throws -> String {
            let answer = try gateway.curl(as: "district-psb", submit)
            #expect(answer.status == 201, "\(answer.body)")
            let receipt = try #require((try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["receipt"] as? String)
            try receipt.write(toFile: gateway.folder + "/" + name, atomically: true, encoding: .utf8)
            return receipt
        }
        func kid(_ jws: String) throws -> String? {
            var header = String(jws.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while header.count % 4 != 0 { header += "=" }
            return (try JSONSerialization.jsonObject(with: Data(base64Encoded: header) ?? Data()) as? [String: Any])?["kid"] as? String
        }
        let before = try receipt("before.jws")

        #expect(try Self.remote(gateway, as: "security-officer", ["keys", "rotate", "--what", "checkpoint"]).status == 1, "auditors cannot")
        let checkpointRotation = try Self.remote(gateway, as: "gateway-admin", ["keys", "rotate", "--what", "checkpoint", "--json"])
        #expect(checkpointRotation.status == 0, "\(checkpointRotation.stderr)")
        let rotated = try JSONSerialization.jsonObject(with: Data(checkpointRotation.stdout.utf8)) as? [String: Any]
        let note = try #require(rotated?["checkpoint"] as? String)
        #expect(note.components(separatedBy: "\u{2014} ").count == 3, "the rotation's checkpoint is signed by the old and the new key")
        let verifierLines = try String(contentsOfFile: gateway.folder + "/Certs/audit-checkpoint.vkey", encoding: .utf8).split(separator: "\n")
        #expect(verifierLines.count == 2)
        #expect(verifierLines[0].contains("+" + (try #require(rotated?["new_key_id"] as? String)) + "+"), "the new key is listed first")
        #expect(verifierLines[1].contains("+" + (try #require(rotated?["old_key_id"] as? String)) + "+"), "the old key is kept")

        let signingRotation = try Self.remote(gateway, as: "gateway-admin", ["keys", "rotate", "--what", "signing", "--json"])
        #expect(signingRotation.status == 0, "\(signingRotation.stderr)")
        let signing = try JSONSerialization.jsonObject(with: Data(signingRotation.stdout.utf8)) as? [String: Any]
        #expect((signing?["statement"] as? String)?.split(separator: ".").count == 3)
        let after = try receipt("after.jws")
        #expect(try kid(before) == signing?["old_key_id"] as? String)
        #expect(try kid(after) == signing?["new_key_id"] as? String)
        #expect(try kid(after) != kid(before))
        // Receipts name their signer by thumbprint: the current certificate alone checks the
        // new receipt, not the one signed before the rotation; the gateway's list has both.
        #expect(
            try Self.local(
                gateway, ["receipt", "verify", "after.jws", "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem"]
            ).status == 0)
        let current = try Self.local(
            gateway, ["receipt", "verify", "before.jws", "--trust", "Certs/dev-ca.pem", "--expect-signer", "Certs/gateway-signing.pem"])
        #expect(current.status == 1 && current.stderr.contains("retired"), "\(current.stderr)")
        let saved = try Self.remote(gateway, as: "district-psb", ["signing-certificates", "--output", "signers.pem"])
        #expect(saved.status == 0 && saved.stdout.contains("1 retired chain"), "\(saved.stdout) \(saved.stderr)")
        for name in ["before.jws", "after.jws"] {
            let verified = try Self.local(gateway, ["receipt", "verify", name, "--trust", "Certs/dev-ca.pem", "--expect-signer", "signers.pem"])
            #expect(verified.status == 0, "\(name): \(verified.stdout) \(verified.stderr)")
        }

        let rotations = try Self.remote(gateway, as: "security-officer", ["audit", "query", "--action", "key.rotated", "--json"])
        #expect(rotations.stdout.split(separator: "\n").count == 2)
        #expect(rotations.stdout.contains("gateway-admin"))
        #expect(try Self.remote(gateway, as: "security-officer", ["audit", "verify"]).status == 0)
        #expect(gateway.stop() == 0)
        let verify = try Self.local(gateway, ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func theOfficersReadCommandsGiveTheSameAnswersThroughTheAPI() throws {
        let gateway = try GatewayProcess()
        let tail = try Self.remote(gateway, as: "security-officer", ["audit", "tail", "-n", "3", "--json"])
        #expect(tail.status == 0, "\(tail.stderr)")
        #expect(tail.stdout.split(separator: "\n").count == 3)

        let remoteExport = try Self.remote(gateway, as: "security-officer", ["audit", "export", "--format", "jsonl"])
        #expect(remoteExport.status == 0, "\(remoteExport.stderr)")
        let localExport = try Self.local(gateway, ["audit", "export", "--format", "jsonl"])
        #expect(!remoteExport.stdout.isEmpty)
        #expect(localExport.stdout.hasPrefix(remoteExport.stdout), "the API serves the entries byte for byte")

        let remoteProof = try Self.remote(gateway, as: "security-officer", ["audit", "prove", "--index", "2"])
        #expect(remoteProof.status == 0, "\(remoteProof.stderr)")
        let proof = try JSONSerialization.jsonObject(with: Data(remoteProof.stdout.utf8)) as? [String: Any]
        let line = String(localExport.stdout.split(separator: "\n")[2])
        #expect(proof?["entry"] as? String == line)
        #expect((proof?["inclusion_proof"] as? [String])?.isEmpty == false)
        let consistency = try Self.remote(gateway, as: "security-officer", ["audit", "prove", "--consistency-from", "1"])
        #expect(consistency.status == 0)
        let outOfRange = try Self.remote(gateway, as: "security-officer", ["audit", "prove", "--index", "999999"])
        #expect(outOfRange.status == 2, "the same exit code as on the host")
        #expect(outOfRange.stderr.contains("there is no entry 999999"))

        let checkpoint = try Self.remote(gateway, as: "security-officer", ["audit", "checkpoint", "--sign", "--json"])
        #expect(checkpoint.status == 0)
        let kept = gateway.folder + "/kept.note"
        try ((try JSONSerialization.jsonObject(with: Data(checkpoint.stdout.utf8)) as? [String: Any])?["note"] as? String ?? "")
            .write(toFile: kept, atomically: true, encoding: .utf8)
        let extends = try Self.remote(gateway, as: "security-officer", ["audit", "verify", "--checkpoint", kept])
        #expect(extends.status == 0, "\(extends.stdout) \(extends.stderr)")
        #expect(extends.stdout.contains("the log extends your checkpoint"))
    }
}
