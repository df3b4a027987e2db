import Crypto
import Foundation
import Testing
import X509
@testable import SluiceCrypto

@Suite struct ReceiptTests {
    let receipt = Receipt(
        packageID: "p-1", agreementID: "psb-household-check", agreementVersion: 3, provider: "district-psb",
        consumer: "district-procuratorate", bodySHA256: String(repeating: "ab", count: 32), recordsAccepted: 120,
        fieldsDropped: ["extra": 2], auditEntryIndex: 41, checkpoint: "sluice.example/log\n42\nAAAA\n", issuedAt: "2026-11-29T00:00:00Z")

    func issuer() throws -> (ReceiptIssuer, CertificateIssuer, Certificate) {
        let key = SigningKey.p256(P256.Signing.PrivateKey())
        let ca = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 10)
        let certificate = try ca.issue(
            subject: try DistinguishedName { CommonName("gateway") }, publicKey: key.publicKey, profile: .documentSigning, validFor: 10)
        return (try ReceiptIssuer(signingKey: key, chain: [certificate]), ca, certificate)
    }

    @Test func issuesAndVerifies() async throws {
        let (issuer, ca, certificate) = try issuer()
        let compact = try issuer.issue(receipt)
        let (verified, signer) = try await ReceiptVerifier(signers: SignerCheck(trustAnchors: [ca.certificate], expectedSigner: certificate))
            .verify(compact)
        #expect(verified == receipt)
        #expect(signer == certificate)
    }

    @Test func theEncodingIsCanonical() {
        let text = String(decoding: receipt.encoded(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"agreement":{"id":"psb-household-check","version":3},"audit_entry_index":41,"body_sha256":"#))
        #expect(text.hasSuffix(#""provider":"district-psb","records_accepted":120}"#))
    }

    @Test func alteredOrUntrustedReceiptsAreRefused() async throws {
        let (issuer, ca, _) = try issuer()
        let compact = try issuer.issue(receipt)
        var parts = compact.split(separator: ".").map(String.init)
        var payload = try #require(Base64URL.decode(parts[1]))
        payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "120", with: "121").utf8)
        parts[1] = Base64URL.encode(payload)
        let verifier = ReceiptVerifier(signers: SignerCheck(trustAnchors: [ca.certificate]))
        await #expect(throws: JOSEError.badSignature) { try await verifier.verify(parts.joined(separator: ".")) }
        let (_, otherCA, _) = try self.issuer()
        let stranger = ReceiptVerifier(signers: SignerCheck(trustAnchors: [otherCA.certificate]))
        await #expect(throws: (any Error).self) { try await stranger.verify(compact) }
        let envelopeJWS = try CompactJWS.sign(Data("{}".utf8), with: issuer.signingKey, chain: issuer.chain)
        await #expect(throws: JOSEError.malformed("this JWS is not a Sluice receipt")) { try await verifier.verify(envelopeJWS) }
    }
}
