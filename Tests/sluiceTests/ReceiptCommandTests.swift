import Crypto
import Foundation
import SluiceCrypto
import Testing

@Suite("sluice receipt verify") struct ReceiptCommandTests {
    @Test func verifiesAReceiptAndItsBody() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data", certs = folder + "/Certs"
        _ = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", certs)
        let body = Data("{\"case_no\":\"A1\"}\n".utf8)
        try body.write(to: URL(fileURLWithPath: folder + "/body.ndjson"))
        let digest = SHA256.hash(data: body).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let issuer = try ReceiptIssuer(
            signingKey: try SigningKey(file: PrivateKeyFile(path: data + "/keys/gateway-signing.key.pem")),
            chain: try CertificateFile.read(certs + "/gateway-signing.pem"))
        let receipt = Receipt(
            packageID: "p-1", agreementID: "psb-household-check", agreementVersion: 1, provider: "district-psb",
            consumer: "district-procuratorate", bodySHA256: digest, recordsAccepted: 1, fieldsDropped: [:], auditEntryIndex: 7,
            checkpoint: nil, issuedAt: "2026-11-29T00:00:00Z")
        try issuer.issue(receipt).write(toFile: folder + "/receipt.jws", atomically: true, encoding: .utf8)

        let ok = try SluiceProcess.sluice(
            "receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--body", folder + "/body.ndjson")
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.contains("valid receipt for package p-1: 1 record accepted under psb-household-check, audit entry 7; body matches"))

        try Data("{\"case_no\":\"A2\"}\n".utf8).write(to: URL(fileURLWithPath: folder + "/other.ndjson"))
        let otherBody = try SluiceProcess.sluice(
            "receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--body", folder + "/other.ndjson")
        #expect(otherBody.status == 1)
        let wrongSigner = try SluiceProcess.sluice(
            "receipt", "verify", folder + "/receipt.jws", "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-tls.pem")
        #expect(wrongSigner.status == 1)
    }
}
