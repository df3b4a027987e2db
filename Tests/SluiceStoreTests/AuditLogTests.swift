import Foundation
import GRDB
import SluiceAudit
import Testing

@testable import SluiceStore

@Suite("Audit log storage") struct AuditLogTests {
    @Test func rootsAndProofsFromStoredSubtreesMatchTheTreeOfTheEntries() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(37, perTransaction: 5)
        try fixture.database.read { db in
            let log = AuditLog(db)
            #expect(try log.size() == 37)
            var leaves: [MerkleHash] = []
            try log.forEachEntry { stored in
                #expect(Data(MerkleHash.leaf(Array(stored.json.utf8)).bytes) == stored.leafHash)
                leaves.append(MerkleHash.leaf(Array(stored.json.utf8)))
            }
            for size in 1...37 {
                let memory = MerkleTree(leaves: Array(leaves[0..<size]))
                let stored = try log.tree(size: UInt64(size))
                let root = try stored.root()
                #expect(root == (try memory.root()))
                for index in 0..<UInt64(size) {
                    let proof = try stored.inclusionProof(index: index)
                    try ProofVerification.verifyInclusion(index: index, size: UInt64(size), leaf: leaves[Int(index)], proof: proof, root: root)
                }
                let newRoot = try log.tree(size: 37).root()
                try ProofVerification.verifyConsistency(
                    oldSize: UInt64(size), newSize: 37, oldRoot: root, newRoot: newRoot,
                    proof: try log.tree(size: 37).consistencyProof(from: UInt64(size)))
            }
        }
    }

    @Test func entriesAreCanonicalJSONWithTheirSequenceAndQueryableColumns() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(12)
        let rejected = try fixture.database.read { db in try AuditLog(db).entries(AuditFilter(outcome: .rejected)) }
        #expect(rejected.map(\.sequence) == [1, 5, 9])
        let psbFetches = try fixture.database.read { db in
            try AuditLog(db).entries(AuditFilter(actor: "district-psb", action: .packageFetched))
        }
        #expect(psbFetches.map(\.sequence) == [2, 6, 10])
        let lastTwo = try fixture.database.read { db in try AuditLog(db).entries(AuditFilter(limit: 2, newestFirst: true)) }
        #expect(lastTwo.map(\.sequence) == [11, 10])
        let later = try fixture.database.read { db in try AuditLog(db).entries(AuditFilter(package: "pkg-7", fromSequence: 3)) }
        #expect(later.map(\.sequence) == [7])
        let future = try fixture.database.read { db in try AuditLog(db).entries(AuditFilter(since: Date().addingTimeInterval(3600))) }
        #expect(future.isEmpty)
        let first = try #require(try fixture.database.read { db in try AuditLog(db).entry(at: 0) })
        #expect(first.json.hasPrefix("{\"action\":\"submit.accepted\",\"actor\":{"))
        #expect(AuditEntry.declaredSequence(in: Array(first.json.utf8)) == 0)
    }

    @Test func aFailedTransactionLeavesNeitherDataNorEntries() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(3)
        struct Refusal: Error {}
        #expect(throws: Refusal.self) {
            _ = try fixture.trail.commit { transaction in
                try transaction.db.execute(sql: "CREATE TABLE scratch(x)")
                try transaction.append(StoreFixture.event(3))
                throw Refusal()
            }
        }
        let size = try fixture.database.read { db in try AuditLog(db).size() }
        #expect(size == 3)
        let scratch = try fixture.database.read { db in try db.tableExists("scratch") }
        #expect(!scratch)
        #expect(try fixture.verify().passed)
    }

    @Test func checkpointsAreSignedEveryNEntriesInTheSameTransactionAndOnDemand() throws {
        let fixture = try StoreFixture(everyEntries: 10)
        defer { fixture.remove() }
        try fixture.append(25)
        let sizes = try fixture.database.read { db in try AuditLog(db).checkpoints().map(\.size) }
        #expect(sizes == [1, 11, 21])
        #expect(try fixture.trail.checkpoint()?.size == 25)
        #expect(try fixture.trail.checkpoint() == nil, "nothing new to sign")
        let latest = try #require(try fixture.database.read { db in try AuditLog(db).latestCheckpoint() })
        let opened = try SignedNote.open(latest.note, verifiers: [fixture.signer.verifier])
        let checkpoint = try Checkpoint(text: opened.text)
        #expect(checkpoint.origin == "test.sluice.example/audit")
        #expect(checkpoint.size == 25)
        #expect(checkpoint.root == (try fixture.database.read { db in try AuditLog(db).tree(size: 25).root() }))
        let verification = try fixture.verify()
        #expect(verification.passed)
        #expect(verification.checkpointsChecked == 4)
        #expect(verification.uncheckpointedEntries == 0)
    }

    @Test func theGuardedConnectionRefusesChangesToTheAuditTables() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(4)
        #expect(fixture.database.isGuarded)
        let attempts = [
            "UPDATE audit_entries SET entry = '{}' WHERE sequence = 1",
            "DELETE FROM audit_entries WHERE sequence = 3",
            "DROP TRIGGER audit_entries_no_update",
            "DROP TABLE audit_checkpoints",
            "ALTER TABLE audit_entries RENAME TO old_entries",
            "CREATE TRIGGER sneaky AFTER INSERT ON audit_entries BEGIN SELECT 1; END",
            "DROP INDEX audit_entries_time",
            "PRAGMA writable_schema = ON",
        ]
        for sql in attempts {
            var refused = false
            do { try fixture.database.write { db in try db.execute(sql: sql) } } catch StoreError.refused { refused = true }
            #expect(refused, "\(sql)")
        }
        #expect(try fixture.verify().passed)
    }

    @Test func theTriggersRefuseChangesEvenWithoutTheGuard() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(20)
        _ = try fixture.trail.checkpoint()
        let attempts = [
            "UPDATE audit_entries SET entry = '{}' WHERE sequence = 1",
            "DELETE FROM audit_entries WHERE sequence = 3",
            "INSERT OR REPLACE INTO audit_entries(sequence, entry, leaf_hash) VALUES (2, '{}', x'00')",
            "INSERT INTO audit_entries(sequence, entry, leaf_hash) VALUES (9, '{}', x'00')",
            "UPDATE audit_subtrees SET hash = x'00'",
            "INSERT OR REPLACE INTO audit_subtrees(last_leaf, level, hash) VALUES (15, 4, x'00')",
            "DELETE FROM audit_checkpoints",
            "INSERT INTO audit_checkpoints(tree_size, note, signed_at) VALUES (3, 'x', 'y')",
            "INSERT INTO audit_checkpoints(tree_size, note, signed_at) VALUES (99, 'x', 'y')",
        ]
        for sql in attempts {
            #expect(throws: StoreFixture.SQLiteToolFailure.self, "\(sql)") { try fixture.sqlite(sql) }
        }
        #expect(try fixture.verify().passed)
    }

    @Test func anOlderSchemaIsMigratedAndANewerOneRefused() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.sqlite("INSERT INTO grdb_migrations(identifier) VALUES ('99-from-the-future')")
        #expect(throws: StoreError.self) { _ = try GatewayDatabase(path: fixture.database.path) }
        #expect(throws: StoreError.self) { _ = try GatewayDatabase(path: fixture.folder + "/absent.sqlite") }
    }
}

@Suite("Audit log storage: trigger refusals") struct TriggerRefusalTests {
    @Test func aTriggerRefusalThroughTheGatewaysConnectionIsReportedAsRefusedAndRollsBack() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(3)
        var refused = false
        do {
            try fixture.database.write { db in
                try db.execute(sql: "INSERT INTO audit_entries(sequence, entry, leaf_hash, time, actor, action, outcome) VALUES (7, '{}', x'00', 't', 'a', 'x', 'success')")
            }
        } catch StoreError.refused { refused = true }
        #expect(refused)
        #expect(try fixture.database.read { db in try AuditLog(db).size() } == 3)
        try fixture.append(1)
        #expect(try fixture.verify().passed)
    }
}
