import Crypto
import Foundation
import SluiceCrypto
import Testing

/// A `gm` agreement through a running gateway made with `sluice init --gm`: the package is
/// sealed SM2 / SM4-CBC-HMAC-SM3 and signed SM2-SM3, its receipt signed SM2-SM3, its
/// pseudonyms HMAC-SM3; `sluice open` and `receipt verify` handle it, and so do GmSSL and
/// gmalg. Without an SM2 key on either side, the package is refused, never sealed otherwise.
@Suite("The GM profile through a running gateway", .serialized) struct GMProfileTests {
    static let record =
        #"{"taxpayer_name":"江东测试有限公司","taxpayer_id_number":"11010519491231002X","tax_type":"增值税","tax_period":"2026-10","amount_due":"1200.00","contact_phone":"13812345678"}"#
        + "\n"

    static func header(_ compact: String) -> [String: Any] {
        let first = String(compact.split(separator: ".")[0])
        return (Base64URL.decode(first).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
    }

    @Test func aGMPackageIsSealedSignedAndReceiptedWithTheNationalAlgorithms() throws {
        let gateway = try GatewayProcess(initArguments: ["--gm"])
        let accepted = try TrustBoundaryTests.submit(gateway, as: "district-tax", agreement: "tax-arrears-records", body: Self.record)
        #expect(accepted.status == 201, "\(accepted.body)")
        let answer = try #require((try JSONSerialization.jsonObject(with: Data(accepted.body.utf8))) as? [String: Any])
        let packageID = try #require(answer["package_id"] as? String)
        let receipt = try #require(answer["receipt"] as? String)
        #expect(Self.header(receipt)["alg"] as? String == "SM2-SM3")
        try receipt.write(toFile: gateway.folder + "/receipt.jws", atomically: true, encoding: .utf8)
        let verified = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", "receipt.jws", "--trust", "Certs/dev-ca-sm2.pem", "--expect-signer", "Certs/gateway-signing-sm2.pem"],
            in: gateway.folder)
        #expect(verified.status == 0, "\(verified.stderr)")

        let fetched = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/packages/" + packageID])
        #expect(fetched.status == 200)
        let envelope = fetched.body
        #expect(Self.header(envelope)["alg"] as? String == "SM2" && Self.header(envelope)["enc"] as? String == "SM4-CBC-HMAC-SM3")
        try envelope.write(toFile: gateway.folder + "/pkg.jwe", atomically: true, encoding: .utf8)
        let opened = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "pkg.jwe", "--key", ".sluice/keys/agencies/district-procuratorate.sm2.key.pem", "--trust", "Certs/dev-ca-sm2.pem",
                "--expect-signer", "Certs/gateway-signing-sm2.pem",
            ], in: gateway.folder)
        #expect(opened.status == 0, "\(opened.stderr)")
        // Plain Bools: an expectation on the records would print them when it fails.
        let phoneMasked = opened.stdout.contains(#""contact_phone":"138****5678""#)
        let idNumberShown = opened.stdout.contains("11010519491231002X")
        #expect(phoneMasked && !idNumberShown, "the opened records are not masked as the agreement says")
        // The other SM2 key, and the international key, cannot open it.
        let wrongKey = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "pkg.jwe", "--key", ".sluice/keys/agencies/district-tax.sm2.key.pem", "--trust", "Certs/dev-ca-sm2.pem", "--expect-signer",
                "Certs/gateway-signing-sm2.pem",
            ], in: gateway.folder)
        #expect(wrongKey.status == 1)

        // GmSSL and gmalg open it with the procuratorate's SM2 key and the gateway's SM2 signing key.
        let consumerKey = try SM2Key(
            pem: try String(contentsOfFile: gateway.folder + "/.sluice/keys/agencies/district-procuratorate.sm2.key.pem", encoding: .utf8))
        let signer = try SM2Certificate(pem: try String(contentsOfFile: gateway.folder + "/Certs/gateway-signing-sm2.pem", encoding: .utf8))
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        let peer = SluiceProcess.repositoryRoot + "/Tests/SluiceCryptoTests/Helpers/gm_peer.py"
        let peerOpened = try SluiceProcess.run(
            "/usr/bin/env",
            ["python3", peer, "open", gateway.folder + "/pkg.jwe", hex(try #require(consumerKey.privateScalar)), hex(signer.publicKey.publicPoint)])
        #expect(peerOpened.status == 0 && peerOpened.stdout.hasSuffix("ok\n"), "\(peerOpened.stdout) \(peerOpened.stderr)")

        // The receipt's checkpoint is co-signed with the same SM2 key: GmSSL and gmalg check
        // the line beside the Ed25519 one, and `audit verify` counts the co-signed checkpoints.
        let payload = try #require(Base64URL.decode(String(receipt.split(separator: ".")[1])))
        let note = try #require((try JSONSerialization.jsonObject(with: payload) as? [String: Any])?["checkpoint"] as? String)
        try note.write(toFile: gateway.folder + "/checkpoint.note", atomically: true, encoding: .utf8)
        let cosigned = try SluiceProcess.run(
            "/usr/bin/env", ["python3", peer, "verify-note", gateway.folder + "/checkpoint.note", hex(signer.publicKey.publicPoint)])
        #expect(cosigned.status == 0 && cosigned.stdout == "2\nok\n", "\(cosigned.stdout) \(cosigned.stderr)")

        // Offline, `sluice seal` makes the same kind of envelope, and `open` opens it.
        try Self.record.write(toFile: gateway.folder + "/in.ndjson", atomically: true, encoding: .utf8)
        let sealed = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "seal", "--agreement", "tax-arrears-records", "--input", "in.ndjson", "--recipient-cert",
                "Certs/agencies/district-procuratorate.sm2.pem",
                "--signing-key", ".sluice/keys/gateway-signing-sm2.key.pem", "--signing-cert", "Certs/gateway-signing-sm2.pem", "--output",
                "offline.jwe",
            ], in: gateway.folder)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let offline = try SluiceProcess.run(
            SluiceProcess.executable,
            [
                "open", "offline.jwe", "--key", ".sluice/keys/agencies/district-procuratorate.sm2.key.pem", "--trust", "Certs/dev-ca-sm2.pem",
                "--expect-signer", "Certs/gateway-signing-sm2.pem",
            ], in: gateway.folder)
        #expect(offline.status == 0 && offline.stdout.contains("江东测试有限公司"), "\(offline.stderr)")
        // The gateway's own signing certificate is no recipient, and one from outside the
        // SM2 CA is refused.
        func sealOffline(to recipient: String, trust: String) throws -> SluiceProcess.Result {
            try SluiceProcess.run(
                SluiceProcess.executable,
                [
                    "seal", "--agreement", "tax-arrears-records", "--input", "in.ndjson", "--recipient-cert", recipient, "--trust", trust,
                    "--signing-key", ".sluice/keys/gateway-signing-sm2.key.pem", "--signing-cert", "Certs/gateway-signing-sm2.pem",
                ], in: gateway.folder)
        }
        let signingAsRecipient = try sealOffline(to: "Certs/gateway-signing-sm2.pem", trust: "Certs/dev-ca-sm2.pem")
        #expect(signingAsRecipient.status == 1 && signingAsRecipient.stderr.contains("key usage"), "\(signingAsRecipient.stderr)")
        let foreign = try sealOffline(to: "Certs/gateway-signing-sm2.pem", trust: "Certs/agencies/district-tax.sm2.pem")
        #expect(foreign.status == 1, "\(foreign.stderr)")

        // The signing certificates, from the API, are the files partners are given.
        let served = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/signing-certificates"])
        #expect(served.status == 200)
        let signing = try #require((try JSONSerialization.jsonObject(with: Data(served.body.utf8))) as? [String: Any]).compactMapValues {
            $0 as? [String]
        }
        let file = { (path: String) in
            try String(contentsOfFile: gateway.folder + "/" + path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(signing["gm"]?.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == [try file("Certs/gateway-signing-sm2.pem")])
        #expect(signing["jose"]?.first?.trimmingCharacters(in: .whitespacesAndNewlines) == (try file("Certs/gateway-signing.pem")))

        // The international agreement is sealed as before.
        let jose = try TrustBoundaryTests.submit(gateway)
        #expect(jose.status == 201)

        // The consumer's SM2 certificate revoked: the next gm package is refused, nothing stored.
        let sm2DER = try SM2Certificate(
            pem: try String(contentsOfFile: gateway.folder + "/Certs/agencies/district-procuratorate.sm2.pem", encoding: .utf8)
        )
        .derBytes
        let fingerprint = SHA256.hash(data: sm2DER).map { String(format: "%02x", $0) }.joined()
        let listed = try SluiceProcess.run(SluiceProcess.executable, ["agency", "list", "--json"], in: gateway.folder).stdout
        let agencies = (try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any])?["agencies"] as? [[String: Any]] ?? []
        let certificates = agencies.first { $0["id"] as? String == "district-procuratorate" }?["certificates"] as? [[String: Any]] ?? []
        #expect(certificates.compactMap { $0["profile"] as? String }.sorted() == ["gm", "jose"], "\(certificates)")
        #expect(certificates.contains { $0["profile"] as? String == "gm" && $0["sha256"] as? String == fingerprint })
        let revoked = try SluiceProcess.run(
            SluiceProcess.executable, ["agency", "revoke", "district-procuratorate", "--cert", fingerprint, "--reason", "key lost"],
            in: gateway.folder)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let refused = try TrustBoundaryTests.submit(gateway, as: "district-tax", agreement: "tax-arrears-records", body: Self.record)
        #expect(refused.status == 501 && refused.body.contains("no valid SM2 certificate"), "\(refused.body)")
        // The international identity of the procuratorate is untouched by that revocation.
        #expect(try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/inbox"]).status == 200)
        #expect(gateway.stop() == 0)
        let audited = try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify", "--json"], in: gateway.folder)
        let verification = try JSONSerialization.jsonObject(with: Data(audited.stdout.utf8)) as? [String: Any]
        #expect(audited.status == 0 && verification?["passed"] as? Bool == true, "\(audited.stdout) \(audited.stderr)")
        let checked = verification?["checkpoints"] as? Int ?? -1
        #expect(checked >= 1 && verification?["checkpoints_cosigned_sm2"] as? Int == checked, "\(audited.stdout)")
        #expect(TrustBoundaryTests.entries(try gateway.exportedTrail(), action: "submit.accepted").count == 2)
    }

    /// Without `--gm` there is no SM2 signing key: a gm package is refused before its body
    /// is read, with the reason, and never sealed with the other profile.
    @Test func withoutAnSM2SigningKeyAGMPackageIsRefused() throws {
        let gateway = try GatewayProcess()
        let refused = try TrustBoundaryTests.submit(gateway, as: "district-tax", agreement: "tax-arrears-records", body: Self.record)
        #expect(refused.status == 501, "\(refused.body)")
        #expect(refused.body.contains("urn:sluice:problem:crypto-profile-unavailable") && refused.body.contains("no SM2 signing key"))
        let served = try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/signing-certificates"])
        #expect(served.status == 200 && served.body.contains(#""gm":[]"#), "\(served.body.prefix(200))")
        #expect(gateway.stop() == 0)
        #expect(TrustBoundaryTests.entries(try gateway.exportedTrail(), action: "submit.accepted").isEmpty)
    }

    /// A further SM2 certificate for a registered agency (a new key): one admin asks, a
    /// second, different one grants; then gm packages are sealed to it, not to the old one.
    /// One from another SM2 CA is refused.
    @Test func aFurtherSM2CertificateTakesTwoAdmins() throws {
        let gateway = try GatewayProcess(initArguments: ["--gm"])
        let folder = gateway.folder
        let caKey = try SM2Key(pem: try String(contentsOfFile: folder + "/.sluice/keys/dev-ca-sm2.key.pem", encoding: .utf8))
        let ca = try SM2CertificateIssuer(
            certificate: try SM2Certificate(pem: try String(contentsOfFile: folder + "/Certs/dev-ca-sm2.pem", encoding: .utf8)), key: caKey)
        let newKey = try SM2Key.generate()
        let newCertificate = try ca.issue(for: newKey, commonName: "district-procuratorate", organization: nil, profile: .encryption, days: 30)
        try newCertificate.pem.write(toFile: folder + "/new.sm2.pem", atomically: true, encoding: .utf8)
        FileManager.default.createFile(
            atPath: folder + "/new.sm2.key.pem", contents: Data(try newKey.pem(includingPrivate: true).utf8), attributes: [.posixPermissions: 0o600])
        let add = ["agency", "add", "district-procuratorate", "--name", "江东区人民检察院", "--cert", "new.sm2.pem", "--role", "partner"]

        let asked = try AdministrationTests.remote(gateway, as: "gateway-admin", add)
        #expect(asked.status == 0 && asked.stdout.contains("second, different admin"), "\(asked.stdout) \(asked.stderr)")
        let again = try AdministrationTests.remote(gateway, as: "gateway-admin", add)
        #expect(again.status == 1, "\(again.stderr)")
        // Before it is granted, packages are still sealed to the old certificate.
        let before = try TrustBoundaryTests.submit(gateway, as: "district-tax", agreement: "tax-arrears-records", body: Self.record)
        #expect(before.status == 201)
        let granted = try AdministrationTests.local(gateway, add)
        #expect(granted.status == 0 && granted.stdout.contains("added a certificate"), "\(granted.stdout) \(granted.stderr)")

        let accepted = try TrustBoundaryTests.submit(gateway, as: "district-tax", agreement: "tax-arrears-records", body: Self.record)
        let packageID = try #require(((try JSONSerialization.jsonObject(with: Data(accepted.body.utf8))) as? [String: Any])?["package_id"] as? String)
        try gateway.curl(as: "district-procuratorate", [gateway.url + "/v1/packages/" + packageID]).body.write(
            toFile: folder + "/pkg.jwe", atomically: true, encoding: .utf8)
        func open(_ key: String) throws -> Int32 {
            try SluiceProcess.run(
                SluiceProcess.executable,
                ["open", "pkg.jwe", "--key", key, "--trust", "Certs/dev-ca-sm2.pem", "--expect-signer", "Certs/gateway-signing-sm2.pem"], in: folder
            ).status
        }
        #expect(try open("new.sm2.key.pem") == 0)
        #expect(try open(".sluice/keys/agencies/district-procuratorate.sm2.key.pem") == 1, "sealed to the newest certificate only")

        // An SM2 certificate from an SM2 CA the gateway does not trust.
        let otherKey = try SM2Key.generate()
        let otherCA = try SM2CertificateIssuer(certificate: nil, key: otherKey).issue(
            for: otherKey, commonName: "Other SM2 CA", organization: nil, profile: .authority, days: 30)
        let foreign = try SM2CertificateIssuer(certificate: otherCA, key: otherKey).issue(
            for: try SM2Key.generate(), commonName: "district-procuratorate", organization: nil, profile: .encryption, days: 30)
        try foreign.pem.write(toFile: folder + "/foreign.sm2.pem", atomically: true, encoding: .utf8)
        let refused = try AdministrationTests.local(
            gateway, ["agency", "add", "district-procuratorate", "--name", "江东区人民检察院", "--cert", "foreign.sm2.pem", "--role", "partner"])
        #expect(refused.status == 1 && refused.stderr.contains("SM2"), "\(refused.stderr)")
        #expect(gateway.stop() == 0)
        #expect(try SluiceProcess.run(SluiceProcess.executable, ["audit", "verify"], in: folder).status == 0)
    }

    /// A request under a `gm` agreement: the subjects sealed SM2 to the provider, the
    /// receipt signed SM2-SM3 over a co-signed checkpoint, the answer held to its scope.
    @Test func aRequestUnderAGMAgreementIsSealedAndReceiptedWithTheNationalAlgorithms() throws {
        let gateway = try GatewayProcess(initArguments: ["--gm"])
        func sluice(_ arguments: [String]) throws -> SluiceProcess.Result {
            try SluiceProcess.run(SluiceProcess.executable, arguments, in: gateway.folder)
        }
        try #"[{"taxpayer_id_number":"11010519491231002X"}]"#.write(toFile: gateway.folder + "/subjects.json", atomically: true, encoding: .utf8)
        let created = try sluice([
            "request", "create", "--gateway", gateway.url, "--as", "district-procuratorate", "--agreement", "tax-arrears-records", "--case",
            "京检刑诉〔2026〕3号", "--purpose", "刑事案件审查", "--officer", "王强", "--subjects", "subjects.json",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(created.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
        let receipt = try String(contentsOfFile: gateway.folder + "/\(id).request.jws", encoding: .utf8)
        #expect(Self.header(receipt)["alg"] as? String == "SM2-SM3")
        let verified = try sluice([
            "receipt", "verify", "\(id).request.jws", "--trust", "Certs/dev-ca-sm2.pem", "--expect-signer", "Certs/gateway-signing-sm2.pem",
        ])
        #expect(verified.status == 0 && verified.stdout.contains("valid receipt for request"), "\(verified.stdout) \(verified.stderr)")

        #expect(try sluice(["request", "show", id, "--gateway", gateway.url, "--as", "district-tax", "--save-sealed", "subjects.jwe"]).status == 0)
        let sealed = try String(contentsOfFile: gateway.folder + "/subjects.jwe", encoding: .utf8)
        #expect(Self.header(sealed)["alg"] as? String == "SM2" && Self.header(sealed)["enc"] as? String == "SM4-CBC-HMAC-SM3")
        let opened = try sluice([
            "open", "subjects.jwe", "--key", ".sluice/keys/agencies/district-tax.sm2.key.pem", "--trust", "Certs/dev-ca-sm2.pem",
            "--expect-signer", "Certs/gateway-signing-sm2.pem",
        ])
        let subjectShown = opened.stdout.contains("11010519491231002X")
        #expect(opened.status == 0 && subjectShown, "\(opened.stderr)")

        try Self.record.write(toFile: gateway.folder + "/answer.ndjson", atomically: true, encoding: .utf8)
        let answered = try sluice(["request", "answer", id, "--gateway", gateway.url, "--as", "district-tax", "--input", "answer.ndjson"])
        #expect(answered.status == 0, "\(answered.stderr)")
        let other = #"{"taxpayer_name":"某公司","taxpayer_id_number":"110105198001010016","tax_type":"增值税","tax_period":"2026-10","amount_due":"1.00"}"#
        try (other + "\n").write(toFile: gateway.folder + "/other.ndjson", atomically: true, encoding: .utf8)
        let refused = try sluice(["request", "answer", id, "--gateway", gateway.url, "--as", "district-tax", "--input", "other.ndjson"])
        #expect(refused.status == 1 && refused.stderr.contains("out-of-scope"), "\(refused.stderr)")
        #expect(gateway.stop() == 0)
    }
}
