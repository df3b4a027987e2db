import Crypto
import Foundation
import SluiceAudit
import SluiceCrypto
import Testing
import X509

/// Receipts are proof for the provider only if nobody else can make one: the gateway's
/// signing profile and the published checkpoint key, not just a chain to the shared CA.
@Suite struct ReceiptVerifierTests {
    let ca: CertificateIssuer
    let gatewayKey = SigningKey.p256(P256.Signing.PrivateKey())
    let gateway: Certificate
    let checkpointKey: NoteSignerKey

    init() throws {
        ca = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 10)
        gateway = try ca.issue(
            subject: try DistinguishedName { CommonName("gateway") }, publicKey: gatewayKey.publicKey, profile: .documentSigning,
            validFor: 10)
        checkpointKey = try NoteSignerKey.generate(name: "sluice.test/audit")
    }

    func receipt(index: Int = 41, size: UInt64 = 42, signedBy key: NoteSignerKey? = nil) throws -> Receipt {
        let checkpoint = Checkpoint(origin: "sluice.test/audit", size: size, root: .leaf(Array("x".utf8)))
        return Receipt(
            packageID: "p-1", agreementID: "psb-household-check", agreementVersion: 3, provider: "district-psb",
            consumer: "district-procuratorate", bodySHA256: String(repeating: "ab", count: 32), recordsAccepted: 120,
            fieldsDropped: [:], auditEntryIndex: index, checkpoint: try (key ?? checkpointKey).sign(checkpoint.text),
            issuedAt: "2026-11-29T00:00:00Z")
    }

    var verifier: ReceiptVerifier {
        ReceiptVerifier(signers: SignerCheck(trustAnchors: [ca.certificate], signers: [gateway]), checkpointKeys: [checkpointKey.verifier])
    }

    @Test func aGatewayReceiptVerifiesWithItsCheckpoint() async throws {
        let receipt = try receipt()
        let compact = try ReceiptIssuer(signingKey: gatewayKey, chain: [gateway]).issue(receipt)
        let verified = try await ReceiptVerifier(
            signers: SignerCheck(trustAnchors: [ca.certificate], signers: [gateway]), checkpointKeys: [checkpointKey.verifier]
        ).verify(compact)
        #expect(verified.receipt == receipt)
        #expect(verified.signer == gateway)
        #expect(verified.checkpoint.size == 42)
    }

    @Test func aReceiptSignedByAnAgencyOfTheSameCAIsRefused() async throws {
        let agencyKey = SigningKey.p256(P256.Signing.PrivateKey())
        let agency = try ca.issue(
            subject: try DistinguishedName { CommonName("district-psb") }, publicKey: agencyKey.publicKey, profile: .tlsClient, validFor: 10)
        let forged = try ReceiptIssuer(signingKey: agencyKey, chain: [agency]).issue(try receipt())
        await #expect {
            try await verifier.verify(forged)
        } throws: { error in
            guard case JOSEError.unexpectedSigner = error else { return false }
            return true
        }
        // Nor when the agency's certificate is handed to the partner as the gateway's.
        let misled = ReceiptVerifier(
            signers: SignerCheck(trustAnchors: [ca.certificate], signers: [agency]), checkpointKeys: [checkpointKey.verifier])
        await #expect {
            try await misled.verify(forged)
        } throws: { error in
            guard case JOSEError.notGatewaySigner(let why) = error else { return false }
            return why.contains("district-psb") && why.contains("document-signing")
        }
    }

    @Test func aCheckpointNotSignedByThePublishedKeyIsRefused() async throws {
        let other = try NoteSignerKey.generate(name: "sluice.test/audit")
        let compact = try ReceiptIssuer(signingKey: gatewayKey, chain: [gateway]).issue(try receipt(signedBy: other))
        await #expect(throws: ReceiptCheckpointError.self) { try await verifier.verify(compact) }
    }

    @Test func aCheckpointThatDoesNotHoldTheEntryIsRefused() async throws {
        let compact = try ReceiptIssuer(signingKey: gatewayKey, chain: [gateway]).issue(try receipt(index: 42, size: 42))
        await #expect(throws: ReceiptCheckpointError.self) { try await verifier.verify(compact) }
    }

    @Test func aReceiptWithoutACheckpointIsRefused() async throws {
        var bare = try receipt()
        bare.checkpoint = nil
        let compact = try ReceiptIssuer(signingKey: gatewayKey, chain: [gateway]).issue(bare)
        await #expect(throws: ReceiptCheckpointError.self) { try await verifier.verify(compact) }
    }

    @Test func alteredOrUntrustedReceiptsAreRefused() async throws {
        let issuer = try ReceiptIssuer(signingKey: gatewayKey, chain: [gateway])
        let compact = try issuer.issue(try receipt())
        var parts = compact.split(separator: ".").map(String.init)
        var payload = try #require(Base64URL.decode(parts[1]))
        payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "120", with: "121").utf8)
        parts[1] = Base64URL.encode(payload)
        await #expect(throws: JOSEError.badSignature) { try await verifier.verify(parts.joined(separator: ".")) }
        let otherCA = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 10)
        let stranger = ReceiptVerifier(
            signers: SignerCheck(trustAnchors: [otherCA.certificate], signers: [gateway]), checkpointKeys: [checkpointKey.verifier])
        await #expect(throws: (any Error).self) { try await stranger.verify(compact) }
        let envelopeJWS = try CompactJWS.sign(Data("{}".utf8), with: gatewayKey, chain: [gateway])
        await #expect(throws: JOSEError.malformed("this JWS is not a Sluice receipt")) { try await verifier.verify(envelopeJWS) }
    }
}

/// A gm receipt's checkpoint must carry the co-signature of the SM2 key that signed it.
@Suite struct GMReceiptVerifierTests {
    @Test func aGMReceiptWhoseCheckpointLacksTheSM2CoSignatureIsRefused() throws {
        let origin = "sluice.test/audit"
        let checkpointKey = try NoteSignerKey.generate(name: origin)
        let gatewayKey = try SM2Key.generate()
        let caKey = try SM2Key.generate()
        let caCertificate = try SM2CertificateIssuer(certificate: nil, key: caKey).issue(
            for: caKey, commonName: "SM2 CA", organization: nil, profile: .authority, days: 30)
        let certificate = try SM2CertificateIssuer(certificate: caCertificate, key: caKey).issue(
            for: gatewayKey, commonName: "gateway", organization: nil, profile: .gatewaySigning, days: 30)
        let checkpoint = Checkpoint(origin: origin, size: 8, root: .leaf(Array("x".utf8)))
        func receipt(cosigned: SM2NoteKey?) throws -> String {
            let note = try SignedNote.sign(checkpoint.text, keys: [checkpointKey], cosigner: cosigned)
            return try GMReceiptIssuer(signingKey: gatewayKey).issue(
                Receipt(
                    packageID: "p-1", agreementID: "tax-arrears-records", agreementVersion: 1, provider: "district-tax",
                    consumer: "district-procuratorate", bodySHA256: String(repeating: "ab", count: 32), recordsAccepted: 1,
                    fieldsDropped: [:], auditEntryIndex: 7, checkpoint: note, issuedAt: "2026-12-05T00:00:00Z"))
        }
        let verifier = GMReceiptVerifier(
            signer: GMSignerCheck(anchors: [caCertificate], certificates: [certificate]), checkpointKeys: [checkpointKey.verifier])
        #expect(try verifier.verify(try receipt(cosigned: SM2NoteKey(name: origin, key: gatewayKey))).receipt.packageID == "p-1")
        #expect(throws: ReceiptCheckpointError.self) { try verifier.verify(try receipt(cosigned: nil)) }
        #expect(throws: ReceiptCheckpointError.self) {
            try verifier.verify(try receipt(cosigned: SM2NoteKey(name: origin, key: try SM2Key.generate())))
        }
    }
}
