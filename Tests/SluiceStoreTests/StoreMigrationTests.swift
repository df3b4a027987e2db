import Foundation
import GRDB
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceTestSupport
import Testing

@testable import SluiceStore

/// `sluice store migrate`: a gateway's whole state moved from SQLite to PostgreSQL and
/// back, every table the same, the trail verifying identically with the same root.
@Suite("Store migration") struct StoreMigrationTests {
    static let time = "2026-12-05T10:00:00Z"

    /// An SQLite store with something in every table, more audit bundles than one page of
    /// the copy, a package kept as compact text (as stores before 2026-11-30 kept them).
    static func filledStore(in folder: String) throws -> (GatewayDatabase, NoteSignerKey) {
        let database = try GatewayDatabase(path: folder + "/sluice.sqlite", create: true)
        let signer = try NoteSignerKey.generate(name: "migrate.sluice.example/audit")
        let trail = AuditTrail(store: database, signer: signer, policy: CheckpointPolicy(everyEntries: 100, interval: 3600))
        _ = try trail.commit { (transaction) throws in
            try transaction.agencies.insertAgency(id: "district-psb", name: "District PSB", roles: [.partner], at: time, by: "admin")
            try transaction.agencies.insertCertificate(agencyID: "district-psb", fingerprint: "f1", der: Data([0x30, 0x00]), at: time, by: "admin")
            try transaction.agencies.insertRequest(
                agencyID: "district-psb", fingerprint: "f2", der: Data([0x30, 0x01]), at: time, by: AuditActor(kind: .localAdmin, id: "a1"))
            try transaction.agreements.insert(
                AgreementVersion(
                    agreementID: "psb-household-check", version: 1, document: "id: psb-household-check\n",
                    documentSHA256: String(repeating: "c", count: 64), appliedAt: time, appliedBy: "admin"))
            try transaction.agreements.insert(
                AgreementStateChange(agreementID: "psb-household-check", status: .active, reason: nil, changedAt: time, changedBy: "admin"))
            _ = try transaction.revocations.revoke(
                CertificateRevocation(fingerprint: "f1", agencyID: "district-psb", reason: "lost", revokedAt: time, revokedBy: "admin"))
            try transaction.dataRequests.insert(
                StoredDataRequest(
                    id: "r1", agreementID: "psb-household-check", agreementVersion: 1, provider: "district-psb", consumer: "district-procuratorate",
                    caseNumber: "C-1", purpose: "check", officer: "o1", subjects: 2, subjectPseudonyms: ["x", "y"], createdAt: time,
                    deadline: "2026-12-10T00:00:00Z", receipt: "receipt-r1"), subjectsEnvelope: "sealed-subjects", idempotencyKey: "k",
                bodySHA256: "d")
            for index in 0..<3 {
                try transaction.packages.insert(
                    StoreConformanceTests.package("p\(index)", key: "key-\(index)"), envelope: StoreConformanceTests.envelope)
            }
            return try transaction.append(contentsOf: [StoreConformanceTests.event(.submitAccepted, package: "p0")])
        }
        for index in 0..<1_300 {
            _ = try trail.commit { try $0.append(contentsOf: (0..<(1 + index % 3)).map { _ in StoreConformanceTests.event(.inboxListed) }) }
        }
        _ = try trail.checkpoint()
        let compact = StoreConformanceTests.envelope.compact
        try database.writeDatabase { db in
            try db.execute(sql: "UPDATE packages SET envelope = ?, acknowledged_at = ? WHERE id = 'p1'", arguments: [compact, time])
        }
        return (database, signer)
    }

    @Test func aGatewaysStateMovesToPostgreSQLAndBackWithTheSameTrail() throws {
        let folder = NSTemporaryDirectory() + "sluice-migrate-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (source, signer) = try Self.filledStore(in: folder)
        let url = try PostgresCluster.shared.get().makeDatabase().url
        let target = StoreLocation.postgres(try PostgresLocation(url: url))

        var reports = 0
        let moved = try StoreMigration.migrate(from: .sqlite(path: source.path), to: target) { done, total in
            reports += 1
            #expect(done <= total)
        }
        #expect(reports > 1)
        #expect(moved.rows["audit_bundles"] == 1_301)
        #expect(moved.rows["packages"] == 3)
        #expect(moved.checkpoints >= 2)
        let postgres = try target.open()
        let verifier = AuditVerifier(store: source, verifiers: [signer.verifier])
        let before = try source.verifyAudit(verifier, keptCheckpoint: nil) { _, _ in }
        let after = try postgres.verifyAudit(AuditVerifier(store: postgres, verifiers: [signer.verifier]), keptCheckpoint: nil) { _, _ in }
        #expect(after.size == before.size)
        #expect(after.findings.map(\.description) == before.findings.map(\.description))
        #expect(after.checkpointsChecked == before.checkpointsChecked)
        try postgres.read { (store) throws in
            guard case .compact(let text)? = try store.packages.envelope(id: "p1"), case .parts(let parts)? = try store.packages.envelope(id: "p2")
            else {
                Issue.record("p1 should come back as compact text and p2 in parts")
                return
            }
            #expect(text == StoreConformanceTests.envelope.compact)
            #expect(parts == StoreConformanceTests.envelope)
            #expect(try store.packages.package(id: "p1")?.acknowledgedAt == Self.time)
            #expect(try store.packages.package(provider: "district-psb", agreement: "psb-household-check", idempotencyKey: "key-2")?.id == "p2")
            #expect(try store.agencies.all().first?.certificates.first?.revokedAt == Self.time)
            #expect(try store.dataRequests.request(id: "r1")?.subjectPseudonyms == ["x", "y"])
            #expect(try store.agencies.request(fingerprint: "f2", agencyID: "district-psb")?.id == "a1")
        }
        // New rows continue the copied sequences: an inbox cursor still moves forward.
        try postgres.write { writer in
            try writer.packages.insert(StoreConformanceTests.package("p-new"), envelope: StoreConformanceTests.envelope)
        }
        let inbox = try postgres.read {
            try $0.packages.inbox(consumer: "district-procuratorate", agreements: ["psb-household-check"], after: nil, limit: 10)
        }
        #expect(inbox.packages.map(\.id) == ["p0", "p2", "p-new"])

        // Into a database that holds a gateway's data: refused, nothing changed.
        let size = try postgres.read { try $0.audit.size() }
        #expect(throws: StoreError.self) { try StoreMigration.migrate(from: .sqlite(path: source.path), to: target) { _, _ in } }
        #expect(try postgres.read { try $0.audit.size() } == size)

        // And back to a new SQLite file, which verifies as the PostgreSQL store does.
        let back = folder + "/back.sqlite"
        let returned = try StoreMigration.migrate(from: target, to: .sqlite(path: back)) { _, _ in }
        #expect(returned.root == moved.root)
        #expect(returned.rows["packages"] == 4)
        let copy = try GatewayDatabase(path: back)
        let again = try copy.verifyAudit(AuditVerifier(store: copy, verifiers: [signer.verifier]), keptCheckpoint: nil) { _, _ in }
        #expect(again.findings.map(\.description) == before.findings.map(\.description))
    }
}
