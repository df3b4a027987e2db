import Crypto
import Foundation
import GRDB
import SluiceAudit
import SluiceCore
import SluiceCrypto
import Testing
import X509

@testable import SluiceStore

@Suite("Registry of agencies and agreement versions") struct RegistryTests {
    static let admin = AuditActor(kind: .agency, id: "gateway-admin", certificateFingerprint: String(repeating: "cd", count: 32))

    /// The agency CA of these tests; the enrolment accepts what it issued.
    static let ca = try! CertificateIssuer.selfSigned(
        subject: try! DistinguishedName { CommonName("test CA") }, key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validFor: 2)
    static let policy = EnrolmentPolicy(certificates: AgencyCertificateCheck(authorities: [ca.certificate]))

    static func certificate(
        _ profile: CertificateProfile = .tlsClient, name: String,
        key: Certificate.PublicKey = Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey, issuer: CertificateIssuer = ca,
        days: Int = 2, issued: Date = Date()
    ) throws -> Certificate {
        try issuer.issue(subject: try DistinguishedName { CommonName(name) }, publicKey: key, profile: profile, validFor: days, now: issued)
    }

    static func agreement(status: String = "active", fields: [String] = ["case_no", "name"], comment: String = "") -> String {
        """
        \(comment)id: t
        title: t
        provider: a
        consumer: b
        purpose: p
        legal_basis: l
        valid_from: 2025-01-01
        valid_until: 2029-12-31
        status: \(status)
        on_unlisted_field: reject
        limits: { max_records: 10, max_package_bytes: 1 MiB, rate_per_minute: 10 }
        retention_days: 7
        fields:
        \(fields.map { "  - { name: \($0), type: string }" }.joined(separator: "\n"))

        """
    }

    /// A store with partner agencies a and b registered.
    static func fixture() throws -> (StoreFixture, AgreementLifecycle) {
        let fixture = try StoreFixture()
        let enrolment = AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: admin), policy: policy)
        for id in ["a", "b"] { _ = try enrolment.add(id: id, name: id.uppercased(), roles: [.partner], certificate: try certificate(name: id)) }
        return (fixture, AgreementLifecycle(trail: fixture.trail, by: Attribution(actor: admin)))
    }

    @Test func versionsAreStoredInOrderWithTheirDiffAndUnchangedTermsAreANoOp() throws {
        let (fixture, lifecycle) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let first = try lifecycle.apply(document: Self.agreement(status: "draft"), file: "t.yaml")
        #expect(first.stored && first.version == 1 && first.previousVersion == nil && first.status == .draft)
        #expect(first.diff.contains("+id: t"))

        let preview = try lifecycle.apply(document: Self.agreement(fields: ["case_no"]), file: "t.yaml", dryRun: true)
        #expect(!preview.stored && preview.version == 2)
        #expect(preview.diff.contains("-  - { name: name, type: string }"))
        #expect(preview.fileStatusIgnored == .active, "after the first version the file's status is not applied")
        #expect(try fixture.database.readDatabase { db in try SQLiteAgreementStore(db).versions(of: "t").count } == 1)

        let second = try lifecycle.apply(document: Self.agreement(fields: ["case_no"]), file: "t.yaml", expectedVersion: 1)
        #expect(second.stored && second.version == 2 && second.status == .draft)
        let comments = try lifecycle.apply(
            document: Self.agreement(status: "draft", fields: ["case_no"], comment: "# only a comment\n"), file: "t.yaml")
        #expect(comments.unchanged && !comments.stored && comments.version == 2)

        #expect(throws: AdministrationError.versionConflict(agreement: "t", expected: 1, current: 2)) {
            try lifecycle.apply(document: Self.agreement(fields: ["name"]), file: "t.yaml", expectedVersion: 1)
        }
        let entries = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(action: .agreementApplied)) }
        #expect(entries.count == 3, "two versions and the refused one")
        #expect(entries[1].json.contains(#""fields_removed":["name"]"#))
        #expect(entries[2].json.contains(#""outcome":"rejected""#))
    }

    @Test func statesMoveOnlyAlongTheLifecycleAndRevocationIsFinal() throws {
        let (fixture, lifecycle) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        _ = try lifecycle.apply(document: Self.agreement(status: "draft"), file: "t.yaml")
        #expect(throws: AdministrationError.transitionNotAllowed(agreement: "t", from: .draft, to: .suspended)) {
            try lifecycle.change("t", to: .suspended, reason: "x")
        }
        #expect(throws: AdministrationError.self) { try lifecycle.change("t", to: .active, reason: "  ") }
        #expect(try lifecycle.change("t", to: .active, reason: "signed").status == .active)
        #expect(try lifecycle.change("t", to: .suspended, reason: "review").status == .suspended)
        #expect(try lifecycle.change("t", to: .revoked, reason: "over").status == .revoked)
        #expect(throws: AdministrationError.agreementRevoked("t")) { try lifecycle.change("t", to: .active, reason: "again") }
        #expect(throws: AdministrationError.agreementRevoked("t")) { try lifecycle.apply(document: Self.agreement(fields: ["x"]), file: "t.yaml") }
        #expect(throws: AdministrationError.unknownAgreement("nope")) { try lifecycle.change("nope", to: .active, reason: "x") }

        let snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.agreements["t"]?.agreement.status == .revoked)
        let verification = try AuditVerifier(store: fixture.database, verifiers: [fixture.signer.verifier]).verify()
        #expect(verification.passed)
    }

    @Test func theSnapshotFollowsTheGenerationAndInvalidFilesAreRefusedWithTheirLines() throws {
        let (fixture, lifecycle) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let before = try fixture.database.readDatabase { db in try RegistryGeneration.read(db) }
        _ = try lifecycle.apply(document: Self.agreement(), file: "t.yaml")
        let after = try fixture.database.readDatabase { db in try RegistryGeneration.read(db) }
        #expect(before != after)
        let snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.agreements["t"]?.version == 1)
        #expect(snapshot.sealingRecipient(of: "b") != nil)

        do {
            _ = try lifecycle.apply(document: Self.agreement().replacingOccurrences(of: "consumer: b", with: "consumer: nobody"), file: "t.yaml")
            Issue.record("an agreement naming an unknown agency was applied")
        } catch let error as AdministrationError {
            guard case .invalidAgreement(let diagnostics) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(diagnostics.first?.location.line == 4)
        }
        #expect(try fixture.database.readDatabase { db in try RegistryGeneration.read(db) } == after, "a refusal changes nothing")
    }

    /// Sealing keys are prepared with the snapshot: an agency whose certificate holds a key
    /// no envelope can be encrypted to has none, and the snapshot says why.
    @Test func anAgencyWithAKeyThatCannotBeSealedToHasNoRecipient() throws {
        let (fixture, _) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let enrolment = AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: Self.admin), policy: Self.policy)
        let edwards = try Self.certificate(name: "e", key: Certificate.PublicKey(Curve25519.Signing.PrivateKey().publicKey))
        let added = try enrolment.add(id: "e", name: "E", roles: [.partner], certificate: edwards)
        let snapshot = try fixture.database.readDatabase { db in try RegistrySnapshot.load(from: SQLiteStoreReader(db)) }
        #expect(snapshot.sealingRecipient(of: "e") == nil)
        #expect(snapshot.sealingRecipient(of: "a") != nil)
        #expect(snapshot.problems.count == 1)
        #expect(snapshot.problems.first?.contains("\(added.fingerprint) of e cannot be sealed to") == true)
        #expect(snapshot.agency(fingerprint: added.fingerprint)?.id == "e", "the agency itself is still known")
    }

    @Test func registrationsAreAppendOnlyAndCertificatesBelongToOneAgency() throws {
        let (fixture, _) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let enrolment = AgencyEnrolment(trail: fixture.trail, by: Attribution(actor: Self.admin), policy: Self.policy)
        let firstKey = SigningKey.p256(P256.Signing.PrivateKey())
        let shared = try Self.certificate(name: "c", key: firstKey.publicKey)
        let added = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: shared)
        #expect(added.agencyCreated && added.certificateAdded)
        #expect(try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: shared).certificateAdded == false)
        #expect(throws: AdministrationError.certificateInUse(fingerprint: added.fingerprint, agency: "c")) {
            try enrolment.add(id: "d", name: "D", roles: [.partner], certificate: shared)
        }
        #expect(throws: AdministrationError.agencyConflict("c")) {
            try enrolment.add(id: "c", name: "C", roles: [.admin], certificate: try Self.certificate(name: "c2"))
        }
        #expect(throws: AdministrationError.self) {
            try enrolment.add(
                id: "e", name: "E", roles: [.partner], certificate: try Self.certificate(.tlsServer(dnsNames: ["e"], ipAddresses: []), name: "e"))
        }
        #expect(throws: AdministrationError.self) {
            try enrolment.add(id: "../f", name: "F", roles: [.partner], certificate: try Self.certificate(name: "f"))
        }

        // A second certificate, with the agency's proof, then the first revoked: packages are
        // sealed to the newer one.
        let third = try Self.certificate(name: "c3")
        let proof = try CertificatePossession.statement(agency: "c", newCertificate: third, signedWith: firstKey)
        let newer = try enrolment.add(id: "c", name: "C", roles: [.partner], certificate: third, possession: proof)
        #expect(try enrolment.revoke(agencyID: "c", fingerprint: added.fingerprint, reason: "rotated"))
        #expect(try enrolment.revoke(agencyID: "c", fingerprint: added.fingerprint, reason: "again") == false)
        #expect(throws: AdministrationError.certificateNotRegistered(fingerprint: newer.fingerprint, agency: "a")) {
            try enrolment.revoke(agencyID: "a", fingerprint: newer.fingerprint, reason: "wrong agency")
        }
        let agency = try #require(try fixture.database.readDatabase { db in try SQLiteAgencyStore(db).agency("c") })
        #expect(agency.certificates.count == 2)
        #expect(agency.currentCertificate?.fingerprint == newer.fingerprint)

        // The tables only grow, even for a connection with no guard.
        let lifecycle = AgreementLifecycle(trail: fixture.trail, by: Attribution(actor: Self.admin))
        _ = try lifecycle.apply(document: Self.agreement(), file: "t.yaml")
        let sqlite = try DatabaseQueue(path: GatewayDatabase.path(inDataDirectory: fixture.folder))
        for statement in [
            "UPDATE agencies SET roles = 'admin' WHERE id = 'c'", "DELETE FROM agency_certificates",
            "UPDATE agreement_states SET status = 'active'", "DELETE FROM agreement_versions",
        ] {
            #expect(throws: (any Error).self, "\(statement)") { try sqlite.write { db in try db.execute(sql: statement) } }
        }
        #expect(throws: (any Error).self, "versions cannot skip") {
            try sqlite.write { db in
                try db.execute(
                    sql: "INSERT INTO agreement_versions VALUES ('t', 3, 'x', 'y', 'z', 'w')")
            }
        }
    }

    @Test func verifyFindsRegistryRowsChangedBehindTheTrailsBack() throws {
        let attacks = [
            "DROP TRIGGER agreement_versions_no_update; UPDATE agreement_versions SET document = replace(document, 'case_no', 'id_no')",
            "DROP TRIGGER agreement_versions_no_update; UPDATE agreement_versions SET document = replace(document, 'case_no', 'id_no'), "
                + "document_sha256 = 'x'",
            "DROP TRIGGER agreement_states_no_update; UPDATE agreement_states SET status = 'active' WHERE status = 'suspended'",
            "INSERT INTO agreement_states(agreement_id, status, reason, changed_at, changed_by) VALUES ('t', 'active', 'x', 'now', 'someone')",
            "INSERT INTO agency_certificates SELECT '00' || substr(fingerprint, 3), agency_id, certificate, added_at, added_by FROM agency_certificates LIMIT 1",
        ]
        for attack in attacks {
            let (fixture, lifecycle) = try Self.fixture()
            defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
            _ = try lifecycle.apply(document: Self.agreement(), file: "t.yaml")
            _ = try lifecycle.change("t", to: .suspended, reason: "review")
            let verifier = AuditVerifier(store: fixture.database, verifiers: [fixture.signer.verifier])
            #expect(try verifier.verify().passed)
            let sqlite = try DatabaseQueue(path: GatewayDatabase.path(inDataDirectory: fixture.folder))
            try sqlite.write { db in try db.execute(sql: attack) }
            let found = try verifier.verify()
            #expect(!found.passed, "\(attack)")
            #expect(found.findings.allSatisfy { $0.kind == .registryChanged }, "\(attack): \(found.findings.map(\.message))")
        }
    }
}
