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
    /// A store and trail in a temporary folder, a receipt signer, and what a submission needs.
    final class Store {
        let folder = NSTemporaryDirectory() + "sluice-commit-" + UUID().uuidString
        let database: GatewayDatabase
        let signer: NoteSignerKey
        let trail: AuditTrail
        let receipts: ReceiptIssuer
        let agreement: Agreement
        let caller = Caller(
            agency: Agency(id: "a", name: "A", roles: [.partner], certificate: "a.pem"), fingerprint: String(repeating: "0", count: 64))
        let envelope = SealedEnvelope(
            encodedHeader: "eyJ9", encryptedKey: Data([1, 2]), iv: Data(repeating: 3, count: 12), ciphertext: Data("sealed".utf8),
            tag: Data(repeating: 4, count: 16))

        init() throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            database = try GatewayDatabase(path: folder + "/sluice.sqlite", create: true)
            signer = try NoteSignerKey.generate(name: "test.example/audit")
            trail = AuditTrail(store: database, signer: signer)
            let key = P256.Signing.PrivateKey()
            let ca = try CertificateIssuer.selfSigned(
                subject: try DistinguishedName { CommonName("test CA") }, key: Certificate.PrivateKey(key), validFor: 2)
            receipts = try ReceiptIssuer(signingKey: .p256(key), chain: [ca.certificate])
            agreement = try SubmissionIntakeTests.agreement()
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func submission(_ key: String?, body: String, under agreement: Agreement? = nil) -> SealedSubmission {
            SealedSubmission(
                packageID: UUID().uuidString.lowercased(), agreement: agreement ?? self.agreement, agreementVersion: 1, caller: caller,
                idempotencyKey: key, bodySHA256: body, recordsAccepted: 1, fieldsDropped: [:], envelope: envelope,
                recipientSHA256: String(repeating: "e", count: 64), requestID: "r", remoteAddress: nil, receivedAt: Date())
        }
    }

    @Test func aGroupSharesOneCheckpointAndKeysAreHonouredWithinIt() throws {
        let store = try Store()
        let (database, signer, trail, receipts, agreement, envelope) = (
            store.database, store.signer, store.trail, store.receipts, store.agreement, store.envelope
        )
        func submission(_ key: String?, body: String) -> SealedSubmission { store.submission(key, body: body) }
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
        let checkpoints = try database.readDatabase { db in try SQLiteAuditLog(db).checkpoints() }
        #expect(checkpoints.map(\.size) == [3])
        let stored = try database.readDatabase { db in try SQLitePackageStore(db).package(id: unkeyed.package.id) }
        #expect(stored?.receipt == unkeyed.package.receipt)
        // The envelope is kept in parts, and its size is that of the text served.
        #expect(stored?.envelopeBytes == envelope.compactCount)
        let kept = try database.readDatabase { db in try SQLitePackageStore(db).envelope(id: unkeyed.package.id) }
        #expect(kept?.compact == envelope.compact)
        let storage = try database.readDatabase { db in
            try String.fetchOne(db, sql: "SELECT typeof(envelope) FROM packages WHERE id = ?", arguments: [unkeyed.package.id])
        }
        #expect(storage == "blob")
        // The group's entries are one stored bundle, in submission order: accepted, the
        // repeat naming the first package, then the unkeyed package's acceptance.
        let bundles = try database.readDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_bundles") }
        #expect(bundles == 1)
        let entries = try database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) }
        let packages = entries.map { entry in Array(entry.json.utf8).withUnsafeBytes { AuditEntryIndex(json: $0)?.package } }
        #expect(packages == [first.package.id, first.package.id, unkeyed.package.id])
        let verified = try AuditVerifier(store: database, verifiers: [signer.verifier]).verify()
        #expect(verified.passed)
        #expect(verified.uncheckpointedEntries == 0)

        // A key is scoped to its agreement: the same key and body under another agreement,
        // in one group or later, is another package, recorded under that agreement.
        var other = agreement
        other.id = "t2"
        func submission(_ key: String, under agreement: Agreement) -> SealedSubmission { store.submission(key, body: "dd", under: agreement) }
        let scoped = try SubmissionCommitter.store(
            [submission("k2", under: agreement), submission("k2", under: other)], trail: trail, receipts: ReceiptSigners(jose: receipts, gm: nil))
        let (one, two) = (try scoped[0].get(), try scoped[1].get())
        #expect(!one.repeated && !two.repeated && one.package.id != two.package.id)
        #expect(one.package.agreementID == agreement.id && two.package.agreementID == "t2")
        let later = try SubmissionCommitter.store([submission("k2", under: other)], trail: trail, receipts: ReceiptSigners(jose: receipts, gm: nil))
        #expect(try later[0].get().repeated && later[0].get().package.id == two.package.id)
        let stored2 = try database.readDatabase { db in try SQLitePackageStore(db).package(provider: "a", agreement: "t2", idempotencyKey: "k2") }
        #expect(stored2?.id == two.package.id && stored2?.idempotencyKey == "k2")
    }

    /// A request declined while its answer was on its way: the answer is refused in its
    /// commit, and an answer to an open request marks it answered.
    @Test func anAnswerToARequestDeclinedMeanwhileIsRefusedInItsCommit() throws {
        let store = try Store()
        let (database, trail, agreement) = (store.database, store.trail, store.agreement)
        let receipts = ReceiptSigners(jose: store.receipts, gm: nil)
        for id in ["open-one", "declined-one"] {
            _ = try trail.commit { transaction in
                try transaction.dataRequests.insert(
                    StoredDataRequest(
                        id: id, agreementID: agreement.id, agreementVersion: 1, provider: "a", consumer: "b", caseNumber: "1号", purpose: "p",
                        officer: "o", subjects: 1, subjectPseudonyms: [], createdAt: "2026-01-01T00:00:00Z", deadline: "2026-01-06T00:00:00Z",
                        receipt: "r"),
                    subjectsEnvelope: "sealed")
            }
        }
        let declined = try trail.commit { transaction in
            try transaction.dataRequests.decline(id: "declined-one", reason: "not_held", noteEnvelope: nil, at: "2026-01-02T00:00:00Z")
        }.value
        #expect(declined)
        func answer(_ request: String) -> SealedSubmission {
            var submission = store.submission(nil, body: request)
            submission.answersRequest = (request, "1号")
            return submission
        }
        let outcomes = try SubmissionCommitter.store([answer("declined-one"), answer("open-one")], trail: trail, receipts: receipts)
        var refused: GatewayProblem.Kind?
        if case .failure(let error as GatewayProblem) = outcomes[0] { refused = error.kind }
        #expect(refused == .requestClosed)
        let accepted = try outcomes[1].get()
        #expect(accepted.package.answersRequest == "open-one")
        let states = try database.read { store in
            (try store.dataRequests.request(id: "open-one")?.state, try store.packages.answering(request: "declined-one"))
        }
        #expect(states.0 == .answered && states.1.isEmpty)
    }
}
