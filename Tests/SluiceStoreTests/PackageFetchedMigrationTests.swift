import Foundation
import GRDB
import SluiceAudit
import Testing

@testable import SluiceStore

/// The column that tells the officers which packages were never fetched: filled going
/// forward by the fetch itself, and, for a store upgraded from before it existed, from
/// the successful fetches its trail recorded.
@Suite("Packages' first fetch") struct PackageFetchedMigrationTests {
    static func package(_ id: String) -> [any DatabaseValueConvertible] {
        [id, "a-1", "psb", "spp", "2026-12-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z", 1, 10, "00", "r", "e"]
    }

    @Test func anUpgradedStoreLearnsWhichPackagesWereFetchedFromItsTrail() throws {
        let folder = NSTemporaryDirectory() + "sluice-fetched-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/old.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "10-data-request-keys")
        let actor = AuditActor(kind: .agency, id: "spp", certificateFingerprint: String(repeating: "ab", count: 32))
        try queue.write { db in
            for id in ["p-fetched", "p-twice", "p-failed", "p-never"] {
                try db.execute(
                    sql: """
                        INSERT INTO packages(id, agreement_id, provider, consumer, created_at, expires_at, records, envelope_bytes,
                        body_sha256, receipt, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: StatementArguments(Self.package(id)))
            }
            let log = SQLiteAuditLog(db)
            let day = Date(timeIntervalSince1970: 1_796_000_000)
            try log.append(AuditEvent(actor: actor, action: .packageFetched, outcome: .success, packageID: "p-fetched"), at: day)
            try log.append(AuditEvent(actor: actor, action: .packageFetched, outcome: .success, packageID: "p-twice"), at: day)
            try log.append(AuditEvent(actor: actor, action: .packageFetched, outcome: .success, packageID: "p-twice"), at: day + 60)
            try log.append(
                AuditEvent(actor: actor, action: .packageFetched, outcome: .failed, packageID: "p-failed", reason: "damaged-envelope"), at: day)
            try log.append(AuditEvent(actor: actor, action: .inboxListed, outcome: .success, packageID: "p-never"), at: day)
        }
        try queue.close()

        let upgraded = try GatewayDatabase(path: path)
        let fetched = try upgraded.readDatabase { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, fetched_at FROM packages").map { ($0[0] as String, $0[1] as String?) })
        }
        #expect(fetched["p-fetched"]! == AuditTime.format(Date(timeIntervalSince1970: 1_796_000_000)))
        #expect(fetched["p-twice"]! == AuditTime.format(Date(timeIntervalSince1970: 1_796_000_000)), "the first fetch")
        #expect(fetched["p-failed"]! == nil && fetched["p-never"]! == nil)
        let outstanding = try upgraded.read { store in try store.packages.outstanding(at: "2026-12-05T00:00:00.000Z") }
        #expect(outstanding.unfetched == ["a-1": 2] && outstanding.unacknowledged == ["a-1": 4] && outstanding.pastRetention.isEmpty)
    }
}
