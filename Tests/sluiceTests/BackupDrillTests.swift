import Foundation
import SluiceClient
import SluiceCrypto
import Testing

/// The restore drill: traffic, a backup made while the gateway serves, more traffic; the
/// backup restored into a new folder, a gateway started there. Every package receipted
/// before the snapshot is there and opens, the trail verifies, the restore is its first
/// new entry; a kept checkpoint from after the snapshot refuses the restore unless the
/// rollback is accepted (and recorded); tampered, truncated and wrongly keyed backups are
/// refused with nothing left behind; and standard tools (jwcrypto, tarfile) open it.
@Suite("Backup and restore drill", .serialized) struct BackupDrillTests {
    static func sluice(_ arguments: [String], in folder: String) throws -> SluiceProcess.Result {
        try SluiceProcess.run(SluiceProcess.executable, arguments, in: folder)
    }

    static func receiptField(_ body: String, _ name: String) -> String? {
        guard let answer = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any], let receipt = answer["receipt"] as? String,
            let payload = Base64URL.decode(String(receipt.split(separator: ".")[1])),
            let document = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any]
        else { return nil }
        return document[name] as? String
    }

    @Test func aBackupMadeUnderTrafficRestoresIntoAWorkingGateway() async throws {
        let gateway = try GatewayProcess()
        let before = try TrustBoundaryTests.submit(gateway)
        #expect(before.status == 201)
        let beforeID = try #require((try JSONSerialization.jsonObject(with: Data(before.body.utf8)) as? [String: Any])?["package_id"] as? String)

        // Submissions go on while the backup runs.
        let during = Task.detached { try (0..<5).map { _ in try TrustBoundaryTests.submit(gateway).status } }
        let made = try Self.sluice(["backup", "create", "--output", "b.sluice-backup", "--include-keys"], in: gateway.folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try await during.value.allSatisfy { $0 == 201 })
        let after = try TrustBoundaryTests.submit(gateway)
        #expect(after.status == 201)
        let kept = try #require(Self.receiptField(after.body, "checkpoint"))
        try kept.write(toFile: gateway.folder + "/kept.note", atomically: true, encoding: .utf8)
        #expect(try Self.sluice(["backup", "verify", "b.sluice-backup"], in: gateway.folder).status == 0)
        #expect(gateway.stop() == 0)
        #expect(TrustBoundaryTests.entries(gateway.exportedTrailText, action: "backup.created").count == 1)

        // Restored into a new folder, a gateway starts there and serves what was receipted before.
        let restored = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: restored) }
        let restore = try Self.sluice(
            ["backup", "restore", "b.sluice-backup", "--data-dir", restored + "/.sluice", "--certs", restored + "/Certs"], in: gateway.folder)
        #expect(restore.status == 0, "\(restore.stderr)")
        try FileManager.default.copyItem(atPath: gateway.folder + "/Agreements", toPath: restored + "/Agreements")
        let second = try LocalGatewayProcess(executable: SluiceProcess.executable, folder: restored, logFile: restored + "/serve.log")
        let fetched = try SluiceProcess.run(
            "/usr/bin/curl",
            [
                "-s", "-o", "pkg.jwe", "-w", "%{http_code}", "--cacert", "Certs/dev-ca.pem", "--cert", "Certs/agencies/district-procuratorate.pem",
                "--key", gateway.folder + "/.sluice/keys/agencies/district-procuratorate.key.pem", second.url + "/v1/packages/" + beforeID,
            ], in: restored)
        #expect(fetched.stdout == "200", "\(fetched.stdout) \(fetched.stderr)")
        #expect(second.stop() == 0)
        let opened = try Self.sluice(
            [
                "open", "pkg.jwe", "--key", gateway.folder + "/.sluice/keys/agencies/district-procuratorate.key.pem", "--trust", "Certs/dev-ca.pem",
                "--expect-signer", "Certs/gateway-signing.pem",
            ], in: restored)
        #expect(opened.status == 0, "\(opened.stderr)")
        let verified = try Self.sluice(["audit", "verify"], in: restored)
        #expect(verified.status == 0, "\(verified.stdout)")
        let trail = try Self.sluice(["audit", "export", "--format", "jsonl"], in: restored).stdout
        #expect(TrustBoundaryTests.entries(trail, action: "backup.restored").count == 1)
        #expect(TrustBoundaryTests.entries(trail, action: "submit.accepted").count >= 1)

        // The receipt handed out after the snapshot carries a checkpoint the backup is behind.
        let refused = try Self.sluice(
            ["backup", "restore", "b.sluice-backup", "--data-dir", restored + "/rolled", "--checkpoint", "kept.note"], in: gateway.folder)
        #expect(refused.status == 1 && refused.stderr.contains("roll back"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: restored + "/rolled"))
        let accepted = try Self.sluice(
            ["backup", "restore", "b.sluice-backup", "--data-dir", restored + "/rolled", "--checkpoint", "kept.note", "--accept-rollback"],
            in: gateway.folder)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let rolled = try Self.sluice(["audit", "export", "--format", "jsonl", "--data-dir", restored + "/rolled"], in: restored).stdout
        let record = TrustBoundaryTests.entries(rolled, action: "backup.restored").first?["details"] as? [String: Any]
        #expect(record?["rolled_back_from_size"] != nil, "\(rolled.suffix(400))")

        // Nothing is restored over existing state.
        let over = try Self.sluice(["backup", "restore", "b.sluice-backup", "--data-dir", restored + "/.sluice"], in: gateway.folder)
        #expect(over.status == 1 && over.stderr.contains("not empty"), "\(over.stderr)")
    }

    @Test func tamperedTruncatedAndWronglyKeyedBackupsAreRefused() throws {
        let gateway = try GatewayProcess()
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(try Self.sluice(["backup", "create", "--output", "b.sluice-backup"], in: gateway.folder).status == 0)
        #expect(gateway.stop() == 0)
        let text = try String(contentsOfFile: gateway.folder + "/b.sluice-backup", encoding: .utf8)
        let middle = text.index(text.startIndex, offsetBy: text.count / 2)
        let flipped = text.replacingCharacters(in: middle...middle, with: text[middle] == "A" ? "B" : "A")
        try flipped.write(toFile: gateway.folder + "/tampered.sluice-backup", atomically: true, encoding: .utf8)
        try String(text.prefix(text.count * 2 / 3)).write(toFile: gateway.folder + "/truncated.sluice-backup", atomically: true, encoding: .utf8)
        for name in ["tampered.sluice-backup", "truncated.sluice-backup"] {
            let verified = try Self.sluice(["backup", "verify", name], in: gateway.folder)
            #expect(verified.status != 0, "\(name)")
            let restored = try Self.sluice(["backup", "restore", name, "--data-dir", "restored-" + name], in: gateway.folder)
            #expect(restored.status != 0, "\(name)")
            #expect(!FileManager.default.fileExists(atPath: gateway.folder + "/restored-" + name))
        }
        let wrongKey = try Self.sluice(
            ["backup", "verify", "b.sluice-backup", "--key", ".sluice/keys/agencies/district-procuratorate.key.pem"], in: gateway.folder)
        #expect(wrongKey.status == 1 && wrongKey.stderr.contains("decryption failed"), "\(wrongKey.stderr)")
        // Standard tools open it: jwcrypto decrypts each part and the manifest and verifies
        // the manifest's signature; the parts joined are the archive it names, which
        // Python's tarfile reads.
        let script = """
            import hashlib, io, json, tarfile
            from jwcrypto import jwe, jwk, jws
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization
            key = jwk.JWK.from_pem(open(".sluice/keys/backup.key.pem", "rb").read())
            lines = open("b.sluice-backup").read().split("\\n")
            assert lines[-1] == "" and len(lines) >= 3, len(lines)
            lines = lines[:-1]
            archive = b""
            for line in lines[:-1]:
                part = jwe.JWE(); part.deserialize(line, key=key)
                assert json.loads(part.objects["protected"])["cty"] == "sluice-backup-part"
                archive += part.payload
            token = jwe.JWE(); token.deserialize(lines[-1], key=key)
            cert = x509.load_pem_x509_certificate(open("Certs/gateway-signing.pem", "rb").read())
            signed = jws.JWS(); signed.deserialize(token.payload.decode())
            signed.verify(jwk.JWK.from_pem(cert.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)))
            manifest = json.loads(signed.payload)
            assert manifest["format"] == "sluice-backup/2" and hashlib.sha256(archive).hexdigest() == manifest["archive"]["sha256"]
            assert [hashlib.sha256(line.encode()).hexdigest() for line in lines[:-1]] == [part["sha256"] for part in manifest["archive"]["parts"]]
            names = tarfile.open(fileobj=io.BytesIO(archive)).getnames()
            assert "data/sluice.sqlite" in names and sorted(names) == sorted(f["path"] for f in manifest["files"]), names
            assert not any(name.startswith("data/keys/") for name in names), names
            print("ok", len(names), len(lines) - 1)
            """
        let python = try SluiceProcess.run("/usr/bin/env", ["python3", "-c", script], in: gateway.folder)
        #expect(python.status == 0 && python.stdout.hasPrefix("ok"), "\(python.stdout) \(python.stderr)")
    }

    /// The store put back from an older copy under a gateway that had gone further: the
    /// checkpoint it kept outside the store refuses the start, until an operator accepts
    /// the rollback, which the start's entry records.
    @Test func aGatewayRefusesToStartOnAStoreBehindItsKeptCheckpoint() throws {
        let gateway = try GatewayProcess()
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(try Self.sluice(["backup", "create", "--output", "old.sluice-backup", "--include-keys"], in: gateway.folder).status == 0)
        #expect(try TrustBoundaryTests.submit(gateway).status == 201)
        #expect(gateway.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: gateway.folder + "/Certs/audit-checkpoint.latest"))

        let old = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: old) }
        #expect(try Self.sluice(["backup", "restore", "old.sluice-backup", "--data-dir", old + "/data"], in: gateway.folder).status == 0)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: gateway.folder + "/.sluice/sluice.sqlite" + suffix) }
        try FileManager.default.copyItem(atPath: old + "/data/sluice.sqlite", toPath: gateway.folder + "/.sluice/sluice.sqlite")

        #expect(throws: (any Error).self) {
            _ = try LocalGatewayProcess(executable: SluiceProcess.executable, folder: gateway.folder, logFile: gateway.folder + "/refused.log")
        }
        let refused = (try? String(contentsOfFile: gateway.folder + "/refused.log", encoding: .utf8)) ?? ""
        #expect(refused.contains("rolled back") && refused.contains("--accept-rollback"), "\(refused)")
        let accepted = try LocalGatewayProcess(
            executable: SluiceProcess.executable, folder: gateway.folder, extraArguments: ["--accept-rollback"],
            logFile: gateway.folder + "/accepted.log")
        #expect(accepted.stop() == 0)
        let started = TrustBoundaryTests.entries(gateway.exportedTrailText, action: "gateway.started").last?["details"] as? [String: Any]
        let keptSize = started?["kept_size"] as? Int ?? 0
        let storeSize = started?["store_size"] as? Int ?? Int.max
        #expect((started?["rollback_accepted"] as? [String]) == ["behind"] && storeSize < keptSize, "\(String(describing: started))")
        // The anchor now follows the store again: the next start needs no flag.
        let again = try LocalGatewayProcess(executable: SluiceProcess.executable, folder: gateway.folder, logFile: gateway.folder + "/again.log")
        #expect(again.stop() == 0)
    }

    /// Backups on a schedule: made while partners submit, the newest `keep` kept, each one
    /// verifying and recorded, their age in `/metrics`.
    @Test func scheduledBackupsAreMadeKeptAndMeasured() throws {
        let gateway = try GatewayProcess(configuration: "backup: { directory: backups, interval_seconds: 1, keep: 2 }\n")
        var statuses: [Int] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            statuses.append(try TrustBoundaryTests.submit(gateway).status)
            let made = (try? FileManager.default.contentsOfDirectory(atPath: gateway.folder + "/backups")) ?? []
            if made.filter({ $0.hasSuffix(".sluice-backup") }).count >= 2, statuses.count >= 3 {
                if TrustBoundaryTests.entries(gateway.exportedTrailText, action: "backup.created").count >= 3 { break }
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(statuses.allSatisfy { $0 == 201 }, "\(statuses)")
        let metrics = try gateway.curl(as: "security-officer", [gateway.url + "/metrics"])
        let age = metrics.body.split(separator: "\n").first { $0.hasPrefix("sluice_backup_age_seconds ") }
        #expect(age.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 0 && $0 < 30 } == true, "\(String(describing: age))")
        #expect(gateway.stop() == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: gateway.folder + "/backups").filter { $0.hasSuffix(".sluice-backup") }
            .sorted()
        #expect(files.count == 2, "\(files)")
        let created = TrustBoundaryTests.entries(gateway.exportedTrailText, action: "backup.created")
        #expect(created.count >= 3 && created.allSatisfy { ($0["details"] as? [String: Any])?["scheduled"] as? Bool == true })
        let newest = try #require(files.last)
        let verified = try Self.sluice(["backup", "verify", "backups/" + newest], in: gateway.folder)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let mode = (try FileManager.default.attributesOfItem(atPath: gateway.folder + "/backups/" + newest)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
        // The daemon's backups carry the sluice.yaml it was started with.
        let restored = try Self.sluice(
            ["backup", "restore", "backups/" + newest, "--data-dir", "restored-data", "--config", "restored.yaml"], in: gateway.folder)
        #expect(restored.status == 0, "\(restored.stdout) \(restored.stderr)")
        #expect(
            FileManager.default.contents(atPath: gateway.folder + "/restored.yaml")
                == FileManager.default.contents(atPath: gateway.folder + "/sluice.yaml"))
    }
}
