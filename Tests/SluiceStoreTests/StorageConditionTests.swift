import Foundation
import GRDB
import SluiceAudit
import Testing

@testable import SluiceStore

/// What the store says when the storage under it fails: a condition of its own (not a
/// generic database error), nothing of the failed write kept, and writes again once the
/// storage allows them.
@Suite struct StorageConditionTests {
    @Test func sqliteResultCodesAboutStorageAreConditions() {
        #expect(StorageCondition(resultCode: 13) == .full)
        #expect(StorageCondition(resultCode: 8) == .readOnly)
        #expect(StorageCondition(resultCode: 10) == .failing)
        #expect(StorageCondition(resultCode: 14) == .failing)
        #expect(StorageCondition(resultCode: 19) == nil, "a constraint is not about the storage")
        #expect(StorageCondition(resultCode: 5) == nil, "busy is not about the storage")
    }

    /// SQLite's own limit on the database's pages stands in for a full disk: the same
    /// SQLITE_FULL from the same write path.
    @Test func aFullDatabaseFailsTheWholeTransactionAndRecovers() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(3)
        let pages = try fixture.database.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try fixture.database.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }

        let large = (0..<400).map { number in
            var event = StoreFixture.event(number)
            event.details["names"] = .names((0..<20).map { "field_\($0)_\(number)_" + String(repeating: "x", count: 40) })
            return event
        }
        do {
            _ = try fixture.trail.commit { transaction in try transaction.append(contentsOf: large) }
            Issue.record("a transaction past the page limit was committed")
        } catch StoreError.unavailable(let condition, _) {
            #expect(condition == .full)
        }
        #expect(try fixture.database.read { store in try store.audit.size() } == 3, "nothing of the failed transaction remains")

        try fixture.database.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        _ = try fixture.trail.commit { transaction in try transaction.append(contentsOf: large) }
        #expect(try fixture.database.read { store in try store.audit.size() } == 403)
        #expect(try fixture.verify().passed)
    }

    @Test func aDatabaseRemovedFromItsPathIsMissing() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        #expect(fixture.database.storageCondition(minimumFreeBytes: 0) == nil)
        #expect(fixture.database.storageCondition(minimumFreeBytes: UInt64.max) == .full)
        try FileManager.default.moveItem(atPath: fixture.database.path, toPath: fixture.database.path + ".moved")
        #expect(fixture.database.storageCondition(minimumFreeBytes: 0) == .missing)
        do {
            try fixture.append(1)
            Issue.record("a write into a database no longer at its path was acknowledged")
        } catch StoreError.unavailable(let condition, _) {
            #expect(condition == .missing)
        }
    }
}
