import Foundation
import SluiceAudit
import SluiceCrypto
import Testing

@testable import SluiceStore

/// Someone with the database file and the sqlite3 tool drops the triggers and edits the
/// tables directly; `verify` must notice each edit and name where it is.
@Suite("Tampering with the database file") struct TamperTests {
    static let dropTriggers = """
        DROP TRIGGER audit_bundles_no_update; DROP TRIGGER audit_bundles_no_delete; DROP TRIGGER audit_bundles_next_only;
        DROP TRIGGER audit_subtrees_no_update; DROP TRIGGER audit_subtrees_no_delete; DROP TRIGGER audit_subtrees_new_only;
        DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete; DROP TRIGGER audit_checkpoints_grow_only;
        """

    /// 25 entries with checkpoints at 1, 11 and 21 and a final one at 25; one bundle per
    /// entry, or when `bundled` entry 0 alone, then bundles of 10 (entries 1–10, 11–20)
    /// and 21–24.
    static func signedLog(bundled: Bool = false) throws -> StoreFixture {
        let fixture = try StoreFixture(everyEntries: 10)
        if bundled {
            // Checkpoints fall due at the end of a transaction: one entry first, so they
            // land at the same sizes as in the unbundled log.
            try fixture.append(1)
            try fixture.append(24, perTransaction: 10, bundled: true)
        } else {
            try fixture.append(25)
        }
        try fixture.trail.checkpoint()
        let sizes = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).checkpoints().map(\.size) }
        #expect(sizes == [1, 11, 21, 25])
        let clean = try fixture.verify()
        #expect(clean.passed)
        return fixture
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func changingOneByteOfAnEntryIsFoundAtThatEntry() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_bundles SET entries = replace(entries, 'pkg-6', 'pkg-5') WHERE first = 6;")
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entryChanged)
        #expect(result.findings.first?.entry == 6)
        #expect(result.findings.contains { $0.kind == .checkpointMismatch })
    }

    /// Verification reads entries in batches checked on another core, each batch whole
    /// bundles (here of 500 entries): logs that end on, just past and well past a batch's
    /// capacity verify, and edits in a later batch and in the last entry are named exactly.
    @Test(arguments: [AuditEntryBatch.capacity, AuditEntryBatch.capacity + 1, 2 * AuditEntryBatch.capacity + 37])
    func logsLongerThanOneBatchVerifyAndEditsInLaterBatchesAreFound(size: Int) throws {
        let fixture = try StoreFixture(everyEntries: 1000)
        defer { fixture.remove() }
        try fixture.append(size, perTransaction: 500, bundled: true)
        try fixture.trail.checkpoint()
        let clean = try fixture.verify()
        #expect(clean.passed)
        #expect(clean.size == UInt64(size))
        let later = min(size - 1, AuditEntryBatch.capacity + (size - AuditEntryBatch.capacity) / 2)
        try fixture.sqlite(
            Self.dropTriggers
                + [later, size - 1].map {
                    "UPDATE audit_bundles SET entries = replace(entries, '\"pkg-\($0)\"', '\"pkh-\($0)\"') WHERE first = (SELECT MAX(first) FROM audit_bundles WHERE first <= \($0));"
                }.joined())
        let result = try fixture.verify()
        let changed = result.findings.filter { $0.kind == .entryChanged }.compactMap(\.entry)
        #expect(changed == (later == size - 1 ? [UInt64(later)] : [UInt64(later), UInt64(size - 1)]))
    }

    @Test func rewritingAnEntryWithItsLeafHashIsFoundByTheStoredSubtreesAndCheckpoints() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let original = try #require(try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entry(at: 13) })
        let forged = original.json.replacingOccurrences(of: "\"package_id\":\"pkg-13\"", with: "\"package_id\":\"pkg-31\"")
        #expect(forged != original.json)
        let leaf = Self.hex(MerkleHash.leaf(Array(forged.utf8)).bytes)
        try fixture.sqlite(
            Self.dropTriggers + "UPDATE audit_bundles SET entries = '\(forged)' || char(10), leaf_hashes = x'\(leaf)' WHERE first = 13;")
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
        let leaves = try fixture.database.readDatabase { db in try (12...13).map { try #require(try SQLiteAuditLog(db).entry(at: $0)).leafHash } }
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
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM audit_bundles WHERE first = 10;")
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entriesMissing)
        #expect(result.findings.first?.entry == 10)
        #expect(result.findings.first?.message == "entry 10 is missing: it was deleted")
    }

    @Test func deletingTheLastEntriesIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        try fixture.sqlite(Self.dropTriggers + "DELETE FROM audit_bundles WHERE first >= 20;")
        let result = try fixture.verify()
        #expect(!result.passed)
        #expect(result.findings.allSatisfy { $0.kind == .truncated })
        #expect(result.findings.first?.entry == 20)
        #expect(result.findings.contains { $0.message.contains("checkpoint at size 25") })
    }

    @Test func deletingTheLastEntriesWithTheirHashesAndCheckpointsIsFoundByAKeptCheckpoint() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let keptNote = try #require(try fixture.database.readDatabase { db in try SQLiteAuditLog(db).latestCheckpoint() }).note
        let kept = try Checkpoint(text: SignedNote.open(keptNote, verifiers: [fixture.signer.verifier]).text)
        try fixture.sqlite(
            Self.dropTriggers
                + "DELETE FROM audit_bundles WHERE first >= 20; DELETE FROM audit_subtrees WHERE last_leaf >= 20; DELETE FROM audit_checkpoints WHERE tree_size > 20;"
        )
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
                CREATE TEMP TABLE saved AS SELECT first, entries, leaf_hashes FROM audit_bundles WHERE first IN (3, 4);
                UPDATE audit_bundles SET
                    entries = (SELECT entries FROM saved WHERE saved.first = 7 - audit_bundles.first),
                    leaf_hashes = (SELECT leaf_hashes FROM saved WHERE saved.first = 7 - audit_bundles.first)
                WHERE first IN (3, 4);
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
        let root = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).tree(size: 11).root() }
        let forged = try other.sign(Checkpoint(origin: other.name, size: 11, root: root).text)
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_checkpoints SET note = '\(forged)' WHERE tree_size = 11;")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.checkpointForged])
        #expect(result.findings.first?.message.contains("checkpoint at size 11") == true)
    }

    /// A genuine checkpoint whose SM2 co-signature line was altered: found, and the
    /// untouched ones are counted as co-signed.
    @Test func anAlteredSM2CoSignatureIsFound() throws {
        let fixture = try Self.signedLog()
        defer { fixture.remove() }
        let cosigner = try SM2NoteKey(name: fixture.signer.name, key: try SM2Key.generate())
        let root = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).tree(size: 11).root() }
        let text = Checkpoint(origin: fixture.signer.name, size: 11, root: root).text
        let note = try SignedNote.sign(text, keys: [fixture.signer], cosigner: cosigner)
        var verifier = AuditVerifier(store: fixture.database, verifiers: [fixture.signer.verifier])
        verifier.cosigner = cosigner
        try fixture.sqlite(Self.dropTriggers + "UPDATE audit_checkpoints SET note = '\(note)' WHERE tree_size = 11;")
        let genuine = try verifier.verify()
        #expect(genuine.passed && genuine.checkpointsCosigned == 1)

        var lines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let last = lines.count - 2
        var blob = try #require(Data(base64Encoded: String(lines[last].split(separator: " ")[2])))
        blob[20] ^= 0x01
        lines[last] = "\u{2014} " + fixture.signer.name + " " + blob.base64EncodedString()
        try fixture.sqlite("UPDATE audit_checkpoints SET note = '\(lines.joined(separator: "\n"))' WHERE tree_size = 11;")
        let altered = try verifier.verify()
        #expect(altered.findings.map(\.kind) == [.checkpointForged])
        #expect(altered.findings.first?.message.contains("SM2 co-signature") == true)
        // A verifier that does not know the SM2 key still passes it: the Ed25519 signature holds.
        #expect(try fixture.verify().passed)
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

    /// Inside a bundle of ten (entries 11–20), rewritten whole with its count and leaf
    /// hashes kept consistent: deleting one entry, or swapping two, is found at that entry.
    @Test(arguments: ["delete", "swap"])
    func editsInsideABundleAreFoundAtTheEntry(edit: String) throws {
        let fixture = try Self.signedLog(bundled: true)
        defer { fixture.remove() }
        let stored = try fixture.database.readDatabase { db in try (11...20).map { try #require(try SQLiteAuditLog(db).entry(at: $0)) } }
        var kept = stored
        if edit == "delete" { kept.remove(at: 3) } else { kept.swapAt(3, 4) }
        let text = Self.hex(kept.flatMap { Array($0.json.utf8) + [0x0A] })
        let leaves = Self.hex(kept.flatMap { [UInt8]($0.leafHash) })
        try fixture.sqlite(
            Self.dropTriggers
                + "UPDATE audit_bundles SET count = \(kept.count), entries = CAST(x'\(text)' AS TEXT), leaf_hashes = x'\(leaves)' WHERE first = 11;")
        let result = try fixture.verify()
        #expect(result.findings.first?.kind == .entryOutOfPlace)
        #expect(result.findings.first?.entry == 14)
        #expect(result.findings.first?.message == "entry 14 says it is entry 15: entries were moved or swapped")
    }

    /// A bundle's time range is what time queries narrow by: one narrowed so that a query
    /// would pass over an entry is found at that entry, and so is a count that no longer
    /// says how many entries the bundle holds (written past the table's CHECK).
    @Test(arguments: [
        "min_time = '2999-01-01T00:00:00.000Z'", "max_time = '2000-01-01T00:00:00.000Z'", "max_time = ''",
        "count = 2", "count = 1",
    ])
    func changingABundlesBookkeepingIsFound(assignment: String) throws {
        let bundled = assignment.hasPrefix("count")
        let fixture = try Self.signedLog(bundled: bundled)
        defer { fixture.remove() }
        let first = bundled ? 11 : 9
        try fixture.sqlite(
            Self.dropTriggers + "PRAGMA ignore_check_constraints = ON; UPDATE audit_bundles SET \(assignment) WHERE first = \(first);")
        let result = try fixture.verify()
        #expect(result.findings.map(\.kind) == [.bundleChanged])
        #expect(result.findings.first?.entry == UInt64(first))
    }

    /// The same logs, bundled, verify clean and read back entry by entry as written.
    @Test func bundledLogsVerifyAndReadBackEntryByEntry() throws {
        let fixture = try Self.signedLog(bundled: true)
        defer { fixture.remove() }
        #expect(try fixture.verify().passed)
        let entries = try fixture.database.readDatabase { db in try SQLiteAuditLog(db).entries(AuditFilter()) }
        #expect(entries.map(\.sequence) == Array(0..<25))
        for entry in entries {
            #expect(entry.json.contains("\"sequence\":\(entry.sequence),"))
            #expect(entry.leafHash == Data(MerkleHash.leaf(Array(entry.json.utf8)).bytes))
        }
    }
}
