import Crypto
import Foundation
import SluiceAudit
import SluiceCrypto
import Testing

@Suite("sluice receipt verify") struct ReceiptCommandTests {
    @Test func verifiesAReceiptAndItsBody() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        let certs = folder + "/Certs"
        _ = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", certs)
        let body = Data("{\"case_no\":\"A1\"}\n".utf8)
        try body.write(to: URL(fileURLWithPath: folder + "/body.ndjson"))
        let digest = SHA256.hash(data: body).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let issuer = try ReceiptIssuer(
            signingKey: try SigningKey(file: PrivateKeyFile(path: data + "/keys/gateway-signing.key.pem")),
            chain: try CertificateFile.read(certs + "/gateway-signing.pem"))
        let checkpointKey = try CheckpointKeyFile(dataDirectory: data, certsDirectory: certs).readSigner()
        let checkpoint = try checkpointKey.sign(Checkpoint(origin: checkpointKey.name, size: 8, root: .leaf(Array("x".utf8))).text)
        let receipt = Receipt(
            packageID: "p-1", agreementID: "psb-household-check", agreementVersion: 1, provider: "district-psb",
            consumer: "district-procuratorate", bodySHA256: digest, recordsAccepted: 1, fieldsDropped: [:], auditEntryIndex: 7,
            checkpoint: checkpoint, issuedAt: "2026-11-29T00:00:00Z")
        try issuer.issue(receipt).write(toFile: folder + "/receipt.jws", atomically: true, encoding: .utf8)
        let vkey = ["--checkpoint-key", certs + "/audit-checkpoint.vkey"]
        let signer = ["--expect-signer", certs + "/gateway-signing.pem"]

        let ok = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--body", folder + "/body.ndjson"] + vkey + signer)
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.contains("valid receipt for package p-1: 1 record accepted under psb-household-check, audit entry 7; body matches"))
        // The receipt names its signer by thumbprint: without the certificate, exit 2 and say which option gives it.
        let unsaid = try SluiceProcess.run(
            SluiceProcess.executable, ["receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem"] + vkey)
        #expect(unsaid.status == 2 && unsaid.stderr.contains("--expect-signer"), "\(unsaid.stderr)")

        try Data("{\"case_no\":\"A2\"}\n".utf8).write(to: URL(fileURLWithPath: folder + "/other.ndjson"))
        let otherBody = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--body", folder + "/other.ndjson"] + vkey + signer)
        #expect(otherBody.status == 1)
        let wrongSigner = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-tls.pem"] + vkey)
        #expect(wrongSigner.status == 1)

        // A provider forging a receipt with its own certificate from the same CA: exit 1.
        let psb = try ReceiptIssuer(
            signingKey: try SigningKey(file: PrivateKeyFile(path: data + "/keys/agencies/district-psb.key.pem")),
            chain: try CertificateFile.read(certs + "/agencies/district-psb.pem"))
        try psb.issue(receipt).write(toFile: folder + "/forged.jws", atomically: true, encoding: .utf8)
        let forged = try SluiceProcess.run(
            SluiceProcess.executable,
            ["receipt", "verify", folder + "/forged.jws", "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/agencies/district-psb.pem"]
                + vkey)
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("district-psb") && forged.stderr.contains("document-signing"), "\(forged.stderr)")

        // A checkpoint the gateway's key did not sign, or one that does not hold the entry: exit 1.
        let stranger = try NoteSignerKey.generate(name: checkpointKey.name)
        for (name, note) in [
            ("unsigned", try stranger.sign(Checkpoint(origin: checkpointKey.name, size: 8, root: .leaf(Array("x".utf8))).text)),
            ("short", try checkpointKey.sign(Checkpoint(origin: checkpointKey.name, size: 7, root: .leaf(Array("x".utf8))).text)),
        ] {
            var altered = receipt
            altered.checkpoint = note
            try issuer.issue(altered).write(toFile: folder + "/\(name).jws", atomically: true, encoding: .utf8)
            let refused = try SluiceProcess.run(
                SluiceProcess.executable, ["receipt", "verify", folder + "/\(name).jws", "--trust", certs + "/dev-ca.pem"] + vkey + signer)
            #expect(refused.status == 1, "\(name): \(refused.stderr)")
            #expect(refused.stderr.contains("audit checkpoint"), "\(refused.stderr)")
        }
    }
}
