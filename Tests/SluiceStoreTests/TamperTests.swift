import Foundation
import SluiceAudit
import Testing

@testable import SluiceStore

/// Someone with the database file and the sqlite3 tool drops the triggers and edits the
/// tables directly; `verify` must notice each edit and name where it is.
@Suite("Tampering with the database file") struct TamperTests {
    static let dropTriggers = """
        DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete; DROP TRIGGER audit_entries_next_only;
        DROP TRIGGER audit_subtrees_no_update; DROP TRIGGER audit_subtrees_no_delete; DROP TRIGGER audit_subtrees_new_only;
        DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete; DROP TRIGGER audit_checkpoints_grow_only;
        """

    /// 25 entries with checkpoints at 1, 11 and 21 and a final one at 25.
    static func signedLog() throws -> StoreFixture {
        let fixture = try StoreFixture(everyEntries: 10)
        try fixture.append(25)
        try fixture.trail.checkpoint()
        let sizes = try fixture.database.read { db in try AuditLog(db).checkpoints().map(\.size) }
        #expect(sizes == [1, 11, 21, 25])
        let clean = try fixture.verify()
        #expect(clean.passed)
        return fixture
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func changingOneByteOfAnEntryIsFoundAtThatEntry() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_entries SET entry = replace(entry, 'pkg-6', 'pkg-5') WHERE sequence = 6;")
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entryChanged)
        #expect(result.findings.first?.entry == 6)
        #expect(result.findings.contains { $0.kind == .checkpointMismatch })
    }

    /// Verification reads entries in batches checked on another core: logs that end on,
    /// just past and well past a batch boundary verify, and edits in a later batch and in
    /// the last entry are named exactly.
    @Test(arguments: [AuditEntryBatch.capacity, AuditEntryBatch.capacity + 1, 2 * AuditEntryBatch.capacity + 37])
    func logsLongerThanOneBatchVerifyAndEditsInLaterBatchesAreFound(size: Int) throws {
        let fixture = try StoreFixture(everyEntries: 1000)
        defer { fixture.remove() }
        try fixture.append(size, perTransaction: 500)
        try fixture.trail.checkpoint()
        let clean = try fixture.verify()
        #expect(clean.passed)
        #expect(clean.size == UInt64(size))
        let later = min(size - 1, AuditEntryBatch.capacity + (size - AuditEntryBatch.capacity) / 2)
        try fixture.sqlite(
            Self.dropTriggers
                + "UPDATE audit_entries SET entry = replace(entry, 'pkg-', 'pkh-') WHERE sequence IN (\(later), \(size - 1));")
        let result = try fixture.verify()
        let changed = result.findings.filter { $0.kind == .entryChanged }.compactMap(\.entry)
        #expect(changed == (later == size - 1 ? [UInt64(later)] : [UInt64(later), UInt64(size - 1)]))
    }

    @Test func rewritingAnEntryWithItsLeafHashIsFoundByTheStoredSubtreesAndCheckpoints() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let original = try #require(try fixture.database.read { db in try AuditLog(db).entry(at: 13) })
        let forged = original.json.replacingOccurrences(of: "\"package_id\":\"pkg-13\"", with: "\"package_id\":\"pkg-31\"")
        #expect(forged != original.json)
        let leaf = Self.hex(MerkleHash.leaf(Array(forged.utf8)).bytes)
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_entries SET entry = '\(forged)', leaf_hash = x'\(leaf)', package = 'pkg-31' WHERE sequence = 13;")
        let result = try fixture.verify()
        let first = try #require(result.findings.first)
        #expect(first.kind == .subtreeMismatch)
        #expect(first.entry == 0, "the smallest stored subtree over entry 13 covers entries 0 to 15")
        #expect(first.message.contains("entries 0 to 15"))
        #expect(result.findings.contains { $0.kind == .checkpointMismatch && $0.message.contains("size 21") })
    }

    /// Logs written when every level was stored keep verifying; such a hash that is there
    /// must still be right.
    @Test func hashesBelowTheLowestStoredLevelAreCheckedWhenPresent() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let leaves = try fixture.database.read { db in try (12...13).map { try #require(try AuditLog(db).entry(at: $0)).leafHash } }
        let pair = Self.hex(try #require(MerkleHash(leaves[0]).flatMap { left in MerkleHash(leaves[1]).map { MerkleHash.node(left, $0) } }).bytes)
        try fixture.sqlite(Self.dropTriggers + "INSERT INTO audit_subtrees(last_leaf, level, hash) VALUES (13, 1, x'\(pair)');")
        #expect(try fixture.verify().passed)
        try fixture.sqlite("INSERT INTO audit_subtrees(last_leaf, level, hash) VALUES (7, 2, x'\(pair)');")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.subtreeMismatch])
        #expect(result.findings.first?.entry == 4)
    }

    @Test func deletingAnEntryInTheMiddleIsFoundAtThatEntry() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM audit_entries WHERE sequence = 10;")
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entriesMissing)
        #expect(result.findings.first?.entry == 10)
        #expect(result.findings.first?.message == "entry 10 is missing: it was deleted")
    }

    @Test func deletingTheLastEntriesIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM audit_entries WHERE sequence >= 20;")
        let result = try fixture.verify()
        #expect(!result.passed)
        #expect(result.findings.allSatisfy { $0.kind == .truncated })
        #expect(result.findings.first?.entry == 20)
        #expect(result.findings.contains { $0.message.contains("checkpoint at size 25") })
    }

    @Test func deletingTheLastEntriesWithTheirHashesAndCheckpointsIsFoundByAKeptCheckpoint() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let keptNote = try #require(try fixture.database.read { db in try AuditLog(db).latestCheckpoint() }).note
        let kept = try Checkpoint(text: SignedNote.open(keptNote, verifiers: [fixture.signer.verifier]).text)
        try fixture.sqlite(
            Self.dropTriggers
                + "DELETE FROM audit_entries WHERE sequence >= 20; DELETE FROM audit_subtrees WHERE last_leaf >= 20; DELETE FROM audit_checkpoints WHERE tree_size > 20;")
        // Without an outside witness a clean cut at the end looks like a shorter log...
        #expect(try fixture.verify().passed)
        // ...which is why partners keep checkpoints.
        let result = try fixture.verify(kept: kept)
        #expect(result.findings.map(\.kind) == [.notExtendingKeptCheckpoint])
        #expect(result.findings.first?.entry == 20)
    }

    @Test func swappingTwoEntriesIsFoundAtTheFirst() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(
            Self.dropTriggers + """
                CREATE TEMP TABLE saved AS SELECT sequence, entry, leaf_hash FROM audit_entries WHERE sequence IN (3, 4);
                UPDATE audit_entries SET
                    entry = (SELECT entry FROM saved WHERE saved.sequence = 7 - audit_entries.sequence),
                    leaf_hash = (SELECT leaf_hash FROM saved WHERE saved.sequence = 7 - audit_entries.sequence)
                WHERE sequence IN (3, 4);
                """)
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entryOutOfPlace)
        #expect(result.findings.first?.entry == 3)
        #expect(result.findings.first?.message == "entry 3 says it is entry 4: entries were moved or swapped")
    }

    @Test func replacingACheckpointIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        // A checkpoint signed by another key, over the same log.
        let other = try NoteSignerKey.generate(name: fixture.signer.name)
        let root = try fixture.database.read { db in try AuditLog(db).tree(size: 11).root() }
        let forged = try other.sign(Checkpoint(origin: other.name, size: 11, root: root).text)
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_checkpoints SET note = '\(forged)' WHERE tree_size = 11;")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.checkpointForged])
        #expect(result.findings.first?.message.contains("checkpoint at size 11") == true)
    }

    @Test func movingAGenuineCheckpointToAnotherSizeIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(
            Self.dropTriggers + "UPDATE audit_checkpoints SET note = (SELECT note FROM audit_checkpoints WHERE tree_size = 21) WHERE tree_size = 11;")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.checkpointForged])
        #expect(result.findings.first?.message.contains("it was moved") == true)
    }

    @Test func changingAQueryColumnSoAQueryWouldMissAnEntryIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_entries SET actor = 'someone-else' WHERE sequence = 8;")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.columnsChanged])
        #expect(result.findings.first?.entry == 8)
    }

    /// A query column set to NULL or to an empty string is a change too (the two are told
    /// apart only where a column reads as empty).
    @Test(arguments: ["time = ''", "package = NULL", "package = ''", "agreement = NULL", "outcome = ''"])
    func emptyingOrNullingAQueryColumnIsFound(assignment: String) throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_entries SET \(assignment) WHERE sequence = 9;")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.columnsChanged])
        #expect(result.findings.first?.entry == 9)
    }
}
