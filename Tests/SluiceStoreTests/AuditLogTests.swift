import Foundation
import GRDB
import SluiceAudit
import Synchronization
import Testing

@testable import SluiceStore

@Suite("Audit log storage") struct AuditLogTests {
    @Test func rootsAndProofsFromStoredSubtreesMatchTheTreeOfTheEntries() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(37, perTransaction: 5)
        try fixture.database.readDatabase { db in
            let log = SQLiteAuditLog(db)
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
        let rejected = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(outcome: .rejected)) }
        #expect(rejected.map(\.sequence) == [1, 5, 9])
        let psbFetches = try fixture.database.readDatabase { db in
            try SQLiteAuditLog(db).entries(AuditFilter(actor: "district-psb", action: .packageFetched))
        }
        #expect(psbFetches.map(\.sequence) == [2, 6, 10])
        let lastTwo = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(limit: 2, newestFirst: true)) }
        #expect(lastTwo.map(\.sequence) == [11, 10])
        let later = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(package: "pkg-7", fromSequence: 3)) }
        #expect(later.map(\.sequence) == [7])
        let future = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter(since: Date().addingTimeInterval(3600))) }
        #expect(future.isEmpty)
        let first = try #require(try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entry(at: 0) })
        #expect(first.json.hasPrefix("{\"action\":\"submit.accepted\",\"actor\":{"))
        #expect(AuditEntry.declaredSequence(in: Array(first.json.utf8)) == 0)
    }

    /// Queries read bundles narrowed by sequence and time range and then test each entry:
    /// over bundles of uneven sizes written a second apart, every filter returns exactly
    /// the entries a plain scan of all entries selects, in order, newest first and limited.
    @Test func queriesOverBundlesSelectExactlyWhatAScanOfEveryEntryDoes() throws {
        let folder = NSTemporaryDirectory() + "sluice-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try GatewayDatabase(path: GatewayDatabase.path(inDataDirectory: folder), create: true)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let ticks = Mutex(0)
        let trail = AuditTrail(
            store: database, signer: try NoteSignerKey.generate(name: "test.sluice.example/audit"),
            clock: {
                start.addingTimeInterval(
                    Double(
                        ticks.withLock { tick in
                            tick += 1
                            return tick
                        }))
            })
        var number = 0
        for size in [1, 7, 3, 1, 12, 5, 1, 1, 9, 4] {
            let events = (number..<number + size).map(StoreFixture.event)
            _ = try trail.commit { transaction in try transaction.append(contentsOf: events) }
            number += size
        }
        let all = try database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) }
        #expect(all.map(\.sequence) == Array(0..<UInt64(number)))
        func time(_ tick: Int) -> Date { start.addingTimeInterval(Double(tick)) }
        let filters = [
            AuditFilter(actor: "district-psb"), AuditFilter(action: .packageFetched, fromSequence: 9),
            AuditFilter(outcome: .rejected, limit: 3), AuditFilter(package: "pkg-30"), AuditFilter(since: time(5)),
            AuditFilter(until: time(3)), AuditFilter(since: time(2), until: time(6), newestFirst: true),
            AuditFilter(fromSequence: 10, limit: 4), AuditFilter(limit: 5, newestFirst: true),
            AuditFilter(actor: "district-procuratorate", fromSequence: 20, limit: 2, newestFirst: true),
            AuditFilter(agreement: "psb-household-check", since: time(9)), AuditFilter(fromSequence: 44), AuditFilter(limit: 0),
        ]
        for filter in filters {
            let since = filter.since.map(AuditTime.format)
            let until = filter.until.map(AuditTime.format)
            var expected = all.filter { entry in
                let index = Array(entry.json.utf8).withUnsafeBytes { AuditEntryIndex(json: $0) }!
                return entry.sequence >= (filter.fromSequence ?? 0) && filter.actor.map { $0 == index.actor } ?? true
                    && filter.action.map { $0.rawValue == index.action } ?? true && filter.outcome.map { $0.rawValue == index.outcome } ?? true
                    && filter.package.map { $0 == index.package } ?? true && filter.agreement.map { $0 == index.agreement } ?? true
                    && since.map { index.time >= $0 } ?? true && until.map { index.time < $0 } ?? true
            }
            if filter.newestFirst { expected.reverse() }
            if let limit = filter.limit { expected = Array(expected.prefix(limit)) }
            let found = try database.readDatabase { db in try SQLiteAuditLog(db).entries(filter) }
            #expect(found.map(\.sequence) == expected.map(\.sequence), "\(filter)")
        }
        #expect(try database.readDatabase { db in try SQLiteAuditLog(db).entry(at: 23) }?.sequence == 23)
        #expect(try database.readDatabase { db in try SQLiteAuditLog(db).entry(at: UInt64(number)) } == nil)
    }

    /// Filters on values JSON writes with escapes or as non-ASCII get no quick byte test
    /// (which could pass over a match) and still find their entries; plain values do.
    @Test func filtersOnEscapedOrNonASCIIValuesStillFindTheirEntries() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let actors = ["张伟", "ops \"night\"", "back\\slash", "plain-id"]
        let events = actors.map { AuditEvent(actor: AuditActor(kind: .localAdmin, id: $0), action: .auditExported, outcome: .success) }
        _ = try fixture.trail.commit { transaction in try transaction.append(contentsOf: events + events) }
        for (number, actor) in actors.enumerated() {
            let filter = AuditFilter(actor: actor)
            #expect(filter.needles().isEmpty == (actor != "plain-id"))
            let found = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(filter) }
            #expect(found.map(\.sequence) == [UInt64(number), UInt64(number + actors.count)], "actor \(number)")
        }
    }

    /// A batch longer than the largest bundle is stored as several bundles, which verify
    /// and read back like any other entries.
    @Test func aLongBatchIsStoredAsSeveralBundles() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let count = 2 * AuditBundle.largest + 452
        let appended = try fixture.trail.commit { transaction in
            try transaction.append(contentsOf: (0..<count).map(StoreFixture.event))
        }.value
        #expect(appended.map(\.sequence) == Array(0..<UInt64(count)))
        let sizes = try fixture.database.readDatabase { db in try Int.fetchAll(db, sql: "SELECT count FROM audit_bundles ORDER BY first") }
        #expect(sizes == [AuditBundle.largest, AuditBundle.largest, 452])
        #expect(try fixture.verify().passed)
        for sequence in [0, AuditBundle.largest - 1, AuditBundle.largest, count - 1] {
            let entry = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entry(at: UInt64(sequence)) }
            #expect(entry?.json.contains("\"package_id\":\"pkg-\(sequence)\"") == true)
        }
    }

    /// Commits only append to the write-ahead log; the checkpointer's own thread copies it
    /// into the database file once it passes ~4 MB, with no checkpoint asked for here.
    @Test func theWriteAheadLogIsCopiedBackWithoutACommitDoingIt() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        func fileSize() -> Int { ((try? FileManager.default.attributesOfItem(atPath: fixture.database.path)[.size]) as? NSNumber)?.intValue ?? 0 }
        let before = fileSize()
        // ~10 MB of entries: past the checkpointer's threshold, short of the inline one.
        try fixture.append(20_000, perTransaction: 1000, bundled: true)
        var waited = 0
        while fileSize() < before + 4_000_000, waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(fileSize() >= before + 4_000_000, "the database file did not grow: nothing was copied back")
        #expect(fixture.database.backgroundCheckpoints > 0)
        #expect(try fixture.verify().passed)
    }

    /// A log the thread does not copy back (here it is never woken) is still bounded: the
    /// commit that finds it past the inline threshold copies it back itself.
    @Test func aLogTheThreadDoesNotKeepUpWithIsCopiedBackByTheCommit() throws {
        let folder = NSTemporaryDirectory() + "sluice-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = GatewayDatabase.path(inDataDirectory: folder)
        let database = try GatewayDatabase(
            path: path, create: true, checkpointer: WALCheckpointer(path: path, wakeFrames: .max, inlineFrames: 200))
        let trail = AuditTrail(store: database, signer: try NoteSignerKey.generate(name: "test.sluice.example/audit"))
        for start in stride(from: 0, to: 6000, by: 500) {
            _ = try trail.commit { transaction in try transaction.append(contentsOf: (start..<start + 500).map(StoreFixture.event)) }
        }
        #expect(database.backgroundCheckpoints == 0)
        #expect(database.inlineCheckpoints > 0)
        let walBytes = ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size]) as? NSNumber)?.intValue ?? 0
        // 200 frames of 4 KiB, plus the one transaction that crossed them (~250 KB).
        #expect(walBytes < 2_000_000, "the log grew to \(walBytes) bytes")
        #expect(try AuditVerifier(store: database, verifiers: [trail.signer.verifier]).verify().passed)
    }

    @Test func bundleLinesAreSplitAtNewlinesWithNothingLeftOver() {
        func lines(_ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { raw in AuditEntryBatch.lines(in: raw).map { String(decoding: bytes[$0], as: UTF8.self) } }
        }
        #expect(lines("") == [])
        #expect(lines("{}\n") == ["{}"])
        #expect(lines("{}\n{\"a\":1}\n") == ["{}", "{\"a\":1}"])
        #expect(lines("{}\n\n{}\n") == ["{}", "", "{}"])
        #expect(lines("{}\n{}") == ["{}", "{}"], "text after the last newline is an entry too")
    }

    @Test func aFailedTransactionLeavesNeitherDataNorEntries() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(3)
        struct Refusal: Error {}
        #expect(throws: Refusal.self) {
            _ = try fixture.trail.commit { transaction in
                try (transaction.writer as! SQLiteStoreReader).db.execute(sql: "CREATE TABLE scratch(x)")
                try transaction.append(StoreFixture.event(3))
                throw Refusal()
            }
        }
        let size = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).size() }
        #expect(size == 3)
        let scratch = try fixture.database.readDatabase { db in try db.tableExists("scratch") }
        #expect(!scratch)
        #expect(try fixture.verify().passed)
    }

    @Test func checkpointsAreSignedEveryNEntriesInTheSameTransactionAndOnDemand() throws {
        let fixture = try StoreFixture(everyEntries: 10)
        defer { fixture.remove() }
        try fixture.append(25)
        let sizes = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).checkpoints().map(\.size) }
        #expect(sizes == [1, 11, 21])
        #expect(try fixture.trail.checkpoint()?.size == 25)
        #expect(try fixture.trail.checkpoint() == nil, "nothing new to sign")
        let latest = try #require(try fixture.database.readDatabase { db in try SQLiteAuditLog(db).latestCheckpoint() })
        let opened = try SignedNote.open(latest.note, verifiers: [fixture.signer.verifier])
        let checkpoint = try Checkpoint(text: opened.text)
        #expect(checkpoint.origin == "test.sluice.example/audit")
        #expect(checkpoint.size == 25)
        #expect(checkpoint.root == (try fixture.database.readDatabase { db in try SQLiteAuditLog(db).tree(size: 25).root() }))
        let verification = try fixture.verify()
        #expect(verification.passed)
        #expect(verification.checkpointsChecked == 4)
        #expect(verification.uncheckpointedEntries == 0)
    }

    /// A transaction that signs its own checkpoint (a group commit, for its receipts) is
    /// not given a second one by the policy; one that appends after signing still is.
    @Test func aTransactionsOwnCheckpointStandsUnlessEntriesFollowIt() throws {
        let fixture = try StoreFixture(everyEntries: 1)
        defer { fixture.remove() }
        let signedOwn = try fixture.trail.commit { transaction -> StoredCheckpoint in
            try transaction.append(contentsOf: (0..<3).map(StoreFixture.event))
            return try transaction.signCheckpoint()
        }
        #expect(signedOwn.value.size == 3)
        #expect(signedOwn.checkpoint == nil)
        let appendedAfter = try fixture.trail.commit { transaction -> StoredCheckpoint in
            try transaction.append(StoreFixture.event(3))
            let own = try transaction.signCheckpoint()
            try transaction.append(StoreFixture.event(4))
            return own
        }
        #expect(appendedAfter.value.size == 4)
        #expect(appendedAfter.checkpoint?.size == 5, "the entry after the transaction's checkpoint falls due under everyEntries 1")
        let sizes = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).checkpoints().map(\.size) }
        #expect(sizes == [3, 4, 5])
        #expect(try fixture.verify().passed)
    }

    @Test func theGuardedConnectionRefusesChangesToTheAuditTables() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.append(4)
        #expect(fixture.database.isGuarded)
        let attempts = [
            "UPDATE audit_bundles SET entries = '{}' WHERE first = 1",
            "DELETE FROM audit_bundles WHERE first = 3",
            "DROP TRIGGER audit_bundles_no_update",
            "DROP TABLE audit_checkpoints",
            "ALTER TABLE audit_bundles RENAME TO old_bundles",
            "CREATE TRIGGER sneaky AFTER INSERT ON audit_bundles BEGIN SELECT 1; END",
            "DROP INDEX audit_bundles_max_time",
            "PRAGMA writable_schema = ON",
        ]
        for sql in attempts {
            var refused = false
            do { try fixture.database.writeDatabase { db in try db.execute(sql: sql) } } catch StoreError.refused { refused = true }
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
            "UPDATE audit_bundles SET entries = '{}' WHERE first = 1",
            "DELETE FROM audit_bundles WHERE first = 3",
            "INSERT OR REPLACE INTO audit_bundles VALUES (2, 1, 't', 't', zeroblob(32), '{}')",
            "INSERT INTO audit_bundles VALUES (9, 1, 't', 't', zeroblob(32), '{}')",
            "INSERT INTO audit_bundles VALUES (21, 1, 't', 't', zeroblob(32), '{}')",
            "INSERT INTO audit_bundles VALUES (20, 2, 't', 't', zeroblob(32), '{}')",
            "UPDATE audit_subtrees SET hash = x'00'",
            "INSERT OR REPLACE INTO audit_subtrees(last_leaf, level, hash) VALUES (15, 4, x'00')",
            "INSERT INTO audit_subtrees(last_leaf, level, hash) VALUES (17, 1, zeroblob(32))",
            "DELETE FROM audit_checkpoints",
            "INSERT INTO audit_checkpoints(tree_size, note, signed_at) VALUES (3, 'x', 'y')",
            "INSERT INTO audit_checkpoints(tree_size, note, signed_at) VALUES (99, 'x', 'y')",
        ]
        for sql in attempts {
            #expect(throws: StoreFixture.SQLiteToolFailure.self, "\(sql)") { try fixture.sqlite(sql) }
        }
        #expect(try fixture.verify().passed)
    }

    /// A log written one row per entry (schema 1) is moved into bundles when the file is
    /// opened: entries, leaf hashes, subtree hashes and checkpoints carry over and verify;
    /// an entry already deleted from the old table is still found missing after the move.
    @Test(arguments: [false, true])
    func aLogWrittenOneRowPerEntryIsMovedIntoBundles(withAGap: Bool) throws {
        let fixture = try StoreFixture(everyEntries: 10)
        defer { fixture.remove() }
        try fixture.append(1234, perTransaction: 100)
        try fixture.trail.checkpoint()
        let (entries, subtrees, checkpoints) = try fixture.database.readDatabase { db in
            (
                try SQLiteAuditLog(db).entries(AuditFilter()), try Row.fetchAll(db, sql: "SELECT last_leaf, level, hash FROM audit_subtrees"),
                try SQLiteAuditLog(db).checkpoints()
            )
        }
        let path = fixture.folder + "/old.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "5-registry-authors")
        try queue.write { db in
            // Copied table by table rather than interleaved as the old appender wrote them,
            // so the old triggers that order those inserts are set aside.
            try db.execute(sql: "DROP TRIGGER audit_subtrees_new_only; DROP TRIGGER audit_checkpoints_grow_only")
            if withAGap { try db.execute(sql: "DROP TRIGGER audit_entries_next_only") }
            for entry in entries where !(withAGap && entry.sequence == 1030) {
                let index = try #require(Array(entry.json.utf8).withUnsafeBytes { AuditEntryIndex(json: $0) })
                try db.execute(
                    sql: "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        Int64(entry.sequence), entry.json, entry.leafHash, index.time, index.actor, index.action, index.agreement, index.package,
                        index.outcome,
                    ])
            }
            for row in subtrees {
                try db.execute(
                    sql: "INSERT INTO audit_subtrees VALUES (?, ?, ?)",
                    arguments: StatementArguments([row[0] as Int64, row[1] as Int64, row[2] as Data] as [any DatabaseValueConvertible]))
            }
            for checkpoint in checkpoints {
                try db.execute(
                    sql: "INSERT INTO audit_checkpoints VALUES (?, ?, ?)", arguments: [Int64(checkpoint.size), checkpoint.note, checkpoint.signedAt])
            }
        }
        try queue.close()

        let moved = try GatewayDatabase(path: path)
        let verification = try AuditVerifier(store: moved, verifiers: [fixture.signer.verifier]).verify()
        let bundles = try moved.readDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_bundles") }
        if withAGap {
            #expect(verification.findings.first?.kind == .entriesMissing)
            #expect(verification.findings.first?.entry == 1030)
            #expect(bundles == 3, "0–1023, 1024–1029 and 1031–1233")
        } else {
            #expect(verification.passed)
            #expect(verification.size == 1234)
            #expect(bundles == 2)
            #expect(try moved.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) } == entries)
        }
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
            try fixture.database.writeDatabase { db in
                try db.execute(sql: "INSERT INTO audit_bundles VALUES (7, 1, 't', 't', zeroblob(32), '{}')")
            }
        } catch StoreError.refused { refused = true }
        #expect(refused)
        #expect(try fixture.database.readDatabase { db in try SQLiteAuditLog(db).size() } == 3)
        try fixture.append(1)
        #expect(try fixture.verify().passed)
    }
}
