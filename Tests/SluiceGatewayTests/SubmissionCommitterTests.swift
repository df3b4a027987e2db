import Crypto
import Foundation
import GRDB
import SluiceAudit
import SluiceCore
import SluiceCrypto
import Testing
import X509

@testable import SluiceGateway
@testable import SluiceStore

@Suite("Group commit of accepted packages") struct SubmissionCommitterTests {
    @Test func aGroupSharesOneCheckpointAndKeysAreHonouredWithinIt() throws {
        let folder = NSTemporaryDirectory() + "sluice-commit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try GatewayDatabase(path: folder + "/sluice.sqlite", create: true)
        let signer = try NoteSignerKey.generate(name: "test.example/audit")
        let trail = AuditTrail(database: database, signer: signer)
        let key = P256.Signing.PrivateKey()
        let ca = try CertificateIssuer.selfSigned(
            subject: try DistinguishedName { CommonName("test CA") }, key: Certificate.PrivateKey(key), validFor: 2)
        let receipts = try ReceiptIssuer(signingKey: .p256(key), chain: [ca.certificate])
        let agreement = try SubmissionIntakeTests.agreement()
        let caller = Caller(
            agency: Agency(id: "a", name: "A", roles: [.partner], certificate: "a.pem"), fingerprint: String(repeating: "0", count: 64))
        let envelope = SealedEnvelope(
            encodedHeader: "eyJ9", encryptedKey: Data([1, 2]), iv: Data(repeating: 3, count: 12), ciphertext: Data("sealed".utf8),
            tag: Data(repeating: 4, count: 16))
        func submission(_ key: String?, body: String) -> SealedSubmission {
            SealedSubmission(
                packageID: UUID().uuidString.lowercased(), agreement: agreement, agreementVersion: 1, caller: caller, idempotencyKey: key,
                bodySHA256: body,
                recordsAccepted: 1, fieldsDropped: [:], envelope: envelope, recipientSHA256: String(repeating: "e", count: 64),
                requestID: "r", remoteAddress: nil, receivedAt: Date())
        }
        let group = [submission("k1", body: "aa"), submission("k1", body: "aa"), submission("k1", body: "bb"), submission(nil, body: "cc")]
        let outcomes = try SubmissionCommitter.store(group, trail: trail, receipts: ReceiptSigners(jose: receipts, gm: nil))

        let first = try outcomes[0].get()
        #expect(!first.repeated)
        let again = try outcomes[1].get()
        #expect(again.repeated)
        #expect(again.package.id == first.package.id)
        var reused: GatewayProblem.Kind?
        if case .failure(let error as GatewayProblem) = outcomes[2] { reused = error.kind }
        #expect(reused == .idempotencyKeyReused)
        let unkeyed = try outcomes[3].get()
        #expect(!unkeyed.repeated)

        // One checkpoint for the group, holding every entry; both receipts carry it.
        let checkpoints = try database.readDatabase { db in try AuditLog(db).checkpoints() }
        #expect(checkpoints.map(\.size) == [3])
        let stored = try database.readDatabase { db in try PackageStore(db).package(id: unkeyed.package.id) }
        #expect(stored?.receipt == unkeyed.package.receipt)
        // The envelope is kept in parts, and its size is that of the text served.
        #expect(stored?.envelopeBytes == envelope.compactCount)
        let kept = try database.readDatabase { db in try PackageStore(db).envelope(id: unkeyed.package.id) }
        #expect(kept?.compact == envelope.compact)
        let storage = try database.readDatabase { db in
            try String.fetchOne(db, sql: "SELECT typeof(envelope) FROM packages WHERE id = ?", arguments: [unkeyed.package.id])
        }
        #expect(storage == "blob")
        // The group's entries are one stored bundle, in submission order: accepted, the
        // repeat naming the first package, then the unkeyed package's acceptance.
        let bundles = try database.readDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_bundles") }
        #expect(bundles == 1)
        let entries = try database.readDatabase { db in try AuditLog(db).entries(AuditFilter()) }
        let packages = entries.map { entry in Array(entry.json.utf8).withUnsafeBytes { AuditEntryIndex(json: $0)?.package } }
        #expect(packages == [first.package.id, first.package.id, unkeyed.package.id])
        let verified = try AuditVerifier(database: database, verifiers: [signer.verifier]).verify()
        #expect(verified.passed)
        #expect(verified.uncheckpointedEntries == 0)

        // A key is scoped to its agreement: the same key and body under another agreement,
        // in one group or later, is another package, recorded under that agreement.
        var other = agreement
        other.id = "t2"
        func submission(_ key: String, under agreement: Agreement) -> SealedSubmission {
            var made = submission(key, body: "dd")
            made.agreement = agreement
            return made
        }
        let scoped = try SubmissionCommitter.store(
            [submission("k2", under: agreement), submission("k2", under: other)], trail: trail, receipts: ReceiptSigners(jose: receipts, gm: nil))
        let (one, two) = (try scoped[0].get(), try scoped[1].get())
        #expect(!one.repeated && !two.repeated && one.package.id != two.package.id)
        #expect(one.package.agreementID == agreement.id && two.package.agreementID == "t2")
        let later = try SubmissionCommitter.store([submission("k2", under: other)], trail: trail, receipts: ReceiptSigners(jose: receipts, gm: nil))
        #expect(try later[0].get().repeated && later[0].get().package.id == two.package.id)
        let stored2 = try database.readDatabase { db in try PackageStore(db).package(provider: "a", agreement: "t2", idempotencyKey: "k2") }
        #expect(stored2?.id == two.package.id && stored2?.idempotencyKey == "k2")
    }
}
