import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import Testing
import X509

@testable import SluiceStore

/// What an admin cannot do to an agency's identity: register a certificate the agency CA
/// did not issue for clients, give one identity two duties, or quietly attach a key that
/// the agency's later packages would be sealed to.
@Suite("Enrolment rules") struct EnrolmentPolicyTests {
    let fixture: StoreFixture
    let enrolment: AgencyEnrolment

    init() throws {
        fixture = try StoreFixture()
        enrolment = AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: RegistryTests.admin), policy: RegistryTests.policy)
    }

    func refusal(_ body: () throws -> Void) -> AdministrationError? {
        do { try body() } catch let error as AdministrationError { return error } catch { return .invalidInput("\(error)") }
        return nil
    }

    func code(_ body: () throws -> Void) -> String? { refusal(body)?.code }

    @Test func certificatesFromElsewhereExpiredOrForTheGatewayAreRefused() throws {
        let otherCA = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("another CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 2)
        let cases: [(String, Certificate)] = [
            ("another CA", try RegistryTests.certificate(name: "x", issuer: otherCA)),
            (
                "self-signed",
                try CertificateIssuer.selfSigned(
                    subject: try DistinguishedName { CommonName("x") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 2
                ).certificate
            ),
            ("expired", try RegistryTests.certificate(name: "x", days: 1, issued: Date().addingTimeInterval(-3 * 86_400))),
            ("gateway signing profile", try RegistryTests.certificate(.documentSigning, name: "x")),
            ("server", try RegistryTests.certificate(.tlsServer(dnsNames: ["x"], ipAddresses: []), name: "x")),
        ]
        for (label, certificate) in cases {
            #expect(
                code { _ = try enrolment.add(id: "x", name: "X", roles: [.partner], certificate: certificate) } == "certificate-refused", "\(label)")
        }
        let registered = try fixture.database.readDatabase { db in try SQLiteAgencyStore(db).all() }
        #expect(registered.isEmpty)
        let refused = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(action: .agencyAdded)) }
        #expect(refused.count == cases.count && refused.allSatisfy { $0.json.contains(#""reason":"certificate-refused""#) })
    }

    @Test func oneIdentityHoldsOneDutyUnlessTheSettingAllowsIt() throws {
        for roles: [AgencyRole] in [[.admin, .auditor], [.partner, .admin], [.partner, .auditor], [.partner, .admin, .auditor]] {
            let certificate = try RegistryTests.certificate(name: "p")
            #expect(code { _ = try enrolment.add(id: "p", name: "P", roles: roles, certificate: certificate) } == "combined-roles", "\(roles)")
        }
        var policy = RegistryTests.policy
        policy.allowsCombinedRoles = true
        let lenient = AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: RegistryTests.admin), policy: policy)
        _ = try lenient.add(id: "p", name: "P", roles: [.admin, .auditor], certificate: try RegistryTests.certificate(name: "p"))
        let entry = try #require(
            try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(action: .agencyAdded, outcome: .success)) }.last)
        #expect(entry.json.contains(#""combined_roles":true"#))
    }

    /// Packages for an agency are sealed to its newest certificate: a further one needs the
    /// agency's own signature, so an admin cannot make the agency's packages readable to itself.
    @Test func aFurtherCertificateNeedsTheAgencysProofOfPossession() throws {
        let key = SigningKey.p256(P256.Signing.PrivateKey())
        let first = try enrolment.add(
            id: "c", name: "C", roles: [.partner], certificate: try RegistryTests.certificate(name: "c", key: key.publicKey))
        let admins = SigningKey.p256(P256.Signing.PrivateKey())
        let planted = try RegistryTests.certificate(name: "c", key: admins.publicKey)
        // Without a proof it only waits for a second admin; the same admin cannot grant it.
        let asked = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: planted)
        #expect(asked.pendingApproval && !asked.certificateAdded)
        #expect(code { _ = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: planted) } == "second-admin-required")
        // Signed by the admin's own key, for another agency, for another certificate, or stale: refused.
        let stranger = try CertificatePossession.statement(agency: "c", newCertificate: planted, signedWith: admins)
        let otherAgency = try CertificatePossession.statement(agency: "d", newCertificate: planted, signedWith: key)
        let otherCertificate = try CertificatePossession.statement(
            agency: "c", newCertificate: try RegistryTests.certificate(name: "c"), signedWith: key)
        let stale = try CertificatePossession.statement(
            agency: "c", newCertificate: planted, signedWith: key, at: Date().addingTimeInterval(-8 * 86_400))
        for proof in [stranger, otherAgency, otherCertificate, stale, "not a jws"] {
            #expect(
                code { _ = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: planted, possession: proof) }
                    == "possession-proof-refused")
        }
        var snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.sealingRecipient(of: "c")?.recipient.kid == (try JSONWebKey(key.publicKey).thumbprint), "still sealed to the agency's key")

        let proof = try CertificatePossession.statement(agency: "c", newCertificate: planted, signedWith: key)
        let added = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: planted, possession: proof)
        #expect(added.certificateAdded && added.fingerprint != first.fingerprint)
        snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.sealingRecipient(of: "c")?.recipient.kid == (try JSONWebKey(admins.publicKey).thumbprint))
        let entry = try #require(
            try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(action: .agencyAdded, outcome: .success)) }.last)
        #expect(entry.json.contains(#""possession_proven":true"#))
        #expect(entry.json.contains(#""sealing_certificate_sha256":""# + added.fingerprint))
    }

    /// An agency that lost its key cannot sign a proof: two different admins agree instead,
    /// the first asking, the second granting, both on the record.
    @Test func aSecondAdminGrantsACertificateWithoutProof() throws {
        _ = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: try RegistryTests.certificate(name: "c"))
        let replacement = try RegistryTests.certificate(name: "c")
        #expect(try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: replacement).pendingApproval)
        var snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.agency(fingerprint: try CertificateFingerprint(replacement).description) == nil, "not registered while it waits")
        let other = AuditActor(kind: .agency, id: "second-admin", certificateFingerprint: String(repeating: "ef", count: 32))
        let granted = try AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: other), policy: RegistryTests.policy)
            .add(id: "c", name: "C", roles: [.partner], certificate: replacement)
        #expect(granted.certificateAdded && !granted.pendingApproval)
        snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.agency(fingerprint: granted.fingerprint)?.id == "c")
        let entries = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) }
        #expect(entries.contains { $0.json.contains(#""action":"agency.certificate_requested""#) })
        #expect(entries.last?.json.contains(#""requested_by":["gateway-admin"]"#) == true)
        #expect(try fixture.verify().passed)
    }

    /// A refused agreement file can quote anything on its lines: the trail keeps the kinds.
    @Test func aRefusedAgreementLeavesItsTextOutOfTheTrail() throws {
        _ = try enrolment.add(id: "a", name: "A", roles: [.partner], certificate: try RegistryTests.certificate(name: "a"))
        _ = try enrolment.add(id: "b", name: "B", roles: [.partner], certificate: try RegistryTests.certificate(name: "b"))
        let lifecycle = AgreementLifecycle(trail: fixture.trail, by: Attribution(actor: RegistryTests.admin))
        let planted = "PLANTED欧阳娜娜13812345678"
        let document = RegistryTests.agreement() + "\(planted): 1\n"
        #expect(code { _ = try lifecycle.apply(document: document, file: "t.yaml") } == "invalid-agreement")
        let entries = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) }
        #expect(!entries.contains { $0.json.contains("PLANTED") || $0.json.contains("欧阳") })
        #expect(entries.last?.json.contains(#""problems":["unknown-key"]"#) == true)
    }
}
