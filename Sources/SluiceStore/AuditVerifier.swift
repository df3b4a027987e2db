import Foundation
import GRDB
import SluiceAudit

/// Recomputes the audit trail from its entries and checks everything stored about it:
/// each entry's place and leaf hash, every stored subtree hash, every checkpoint's
/// signature and root, the consistency of consecutive checkpoints, and, given a
/// checkpoint a partner kept, that the log still extends it.
///
/// Triggers stop changes through SQLite; they do not stop someone with the file who
/// drops them first. This is what catches that, reading the log once, in order.
public struct AuditVerifier {
    let database: GatewayDatabase
    let verifiers: [NoteVerifierKey]
    /// Findings beyond this many are counted, not kept: one rewrite can break every
    /// hash above it, and the first findings are the ones that locate it.
    public var findingLimit = 50

    public init(database: GatewayDatabase, verifiers: [NoteVerifierKey]) {
        self.database = database
        self.verifiers = verifiers
    }

    public func verify(
        keptCheckpoint: Checkpoint? = nil, progress: (_ done: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> AuditVerification {
        try database.read { db in try run(db, keptCheckpoint: keptCheckpoint, progress: progress) }
    }

    private struct SignedSize {
        var size: UInt64
        var signedAt: String
        var root: MerkleHash
    }

    private func run(
        _ db: Database, keptCheckpoint: Checkpoint?, progress: (UInt64, UInt64) -> Void
    ) throws -> AuditVerification {
        let log = AuditLog(db)
        let total = try log.size()
        var findings: [AuditFinding] = []
        var firstBadEntry: UInt64?
        func report(_ finding: AuditFinding) {
            if let entry = finding.entry { firstBadEntry = min(firstBadEntry ?? entry, entry) }
            if findings.count < findingLimit { findings.append(finding) }
        }

        // Checkpoints first: only those whose signature verifies say anything about the entries.
        var signed: [SignedSize] = []
        for stored in try log.checkpoints() {
            do {
                let opened = try SignedNote.open(stored.note, verifiers: verifiers)
                let checkpoint = try Checkpoint(text: opened.text)
                guard opened.signedBy.contains(where: { $0.name == checkpoint.origin }) else {
                    report(AuditFinding(.checkpointForged, entry: nil, "checkpoint at size \(stored.size) names the log \"\(checkpoint.origin)\", not the one its key signs for"))
                    continue
                }
                guard checkpoint.size == stored.size else {
                    report(AuditFinding(.checkpointForged, entry: nil, "checkpoint stored under size \(stored.size) says it covers \(checkpoint.size) entries: it was moved"))
                    continue
                }
                signed.append(SignedSize(size: stored.size, signedAt: stored.signedAt, root: checkpoint.root))
            } catch {
                report(AuditFinding(.checkpointForged, entry: nil, "checkpoint at size \(stored.size) (signed \(stored.signedAt)) does not verify with the checkpoint key: it was replaced or forged"))
            }
        }

        var accumulator = MerkleAccumulator()
        var nextCheckpoint = 0
        var lastGoodCheckpoint: UInt64?
        func checkRoots() {
            let size = accumulator.size
            while nextCheckpoint < signed.count, signed[nextCheckpoint].size <= size {
                let checkpoint = signed[nextCheckpoint]
                nextCheckpoint += 1
                guard checkpoint.size == size else { continue }
                if checkpoint.root == accumulator.root {
                    if firstBadEntry == nil { lastGoodCheckpoint = size }
                } else {
                    let from = lastGoodCheckpoint ?? 0
                    report(AuditFinding(.checkpointMismatch, entry: firstBadEntry ?? from,
                        "checkpoint at size \(size) (signed \(checkpoint.signedAt)) does not match the entries it covers: "
                            + (firstBadEntry.map { "entry \($0) is the first bad one" }
                                ?? "an entry from \(from) to \(size - 1) was rewritten with its hashes, or entries were inserted, removed or reordered")))
                }
            }
            if let kept = keptCheckpoint, kept.size == size, kept.root != accumulator.root {
                report(AuditFinding(.notExtendingKeptCheckpoint, entry: firstBadEntry,
                    "the log does not extend the checkpoint you kept (size \(kept.size)): its first \(kept.size) entries are not the ones that checkpoint signed"))
            }
        }

        // Stored subtrees stream in the order the recomputation completes them.
        var subtrees = try RawRowCursor(db, sql: "SELECT last_leaf, level, hash FROM audit_subtrees ORDER BY last_leaf, level")
        // A malformed stored hash (not 32 bytes) is kept as nil, which matches nothing.
        var pending: (lastLeaf: UInt64, level: Int, hash: MerkleHash?)?
        func advance() throws {
            pending = try subtrees.step() ? (UInt64(subtrees.int64(0)), Int(subtrees.int64(1)), MerkleHash(raw: subtrees.bytes(2))) : nil
        }
        try advance()
        var expected: UInt64 = 0
        func consume(_ batch: AuditEntryBatch, _ checks: [AuditEntryCheck]) throws {
            for (sequence, check) in zip(batch.sequences, checks) {
                if sequence != expected {
                    report(AuditFinding(.entriesMissing, entry: expected,
                        sequence == expected + 1 ? "entry \(expected) is missing: it was deleted"
                            : "entries \(expected) to \(sequence - 1) are missing: they were deleted"))
                    expected = sequence
                }
                // One finding per entry, the most telling first: a moved entry also fails its
                // leaf hash and columns, a changed one its columns.
                if check.declared != sequence {
                    report(AuditFinding(.entryOutOfPlace, entry: sequence,
                        "entry \(sequence) says it is entry \(check.declared.map(String.init) ?? "(unreadable)"): entries were moved or swapped"))
                } else if !check.leafMatches {
                    report(AuditFinding(.entryChanged, entry: sequence, "entry \(sequence) was changed after it was written: its content does not match its recorded leaf hash"))
                } else if !check.columnsMatch {
                    report(AuditFinding(.columnsChanged, entry: sequence,
                        check.wellFormed ? "entry \(sequence): the store's query columns no longer match the entry, so queries would hide or misattribute it"
                            : "entry \(sequence) is not a well-formed audit entry"))
                }
                let position = accumulator.size
                while let stored = pending, stored.lastLeaf < position {
                    if firstBadEntry == nil {
                        report(AuditFinding(.subtreeMismatch, entry: stored.lastLeaf, "a stored hash ends at entry \(stored.lastLeaf) at level \(stored.level), where the tree has none"))
                    }
                    try advance()
                }
                try accumulator.append(check.leaf) { level, hash in
                    var matched = false
                    var present = false
                    if let stored = pending, stored.lastLeaf == position, stored.level == level {
                        present = true
                        matched = stored.hash == hash
                        try advance()
                    }
                    // Below the lowest stored level a hash may be absent (it is recomputed
                    // from leaves), but one that is there must still be right.
                    let required = level >= AuditLog.lowestStoredLevel
                    if !matched, required || present, firstBadEntry == nil {
                        let first = position + 1 - (1 << UInt64(level))
                        report(AuditFinding(.subtreeMismatch, entry: first,
                            "the stored hash over entries \(first) to \(position) is missing or does not match them: one of them was rewritten along with its leaf hash"))
                    }
                }
                checkRoots()
                expected += 1
                if accumulator.size & 0xFFFF == 0 { progress(accumulator.size, total) }
            }
        }

        // Two stages on two cores: this thread reads a batch of rows and then folds the
        // previous batch into the tree, in order, while another hashes and checks the
        // batch read before.
        // Read the file through a memory map: no copy of every page through read(2).
        // (SQLite caps it at its compile-time maximum, 2 GB by default.)
        try db.execute(sql: "PRAGMA mmap_size = 2147418112")
        var entries = try RawRowCursor(
            db, sql: "SELECT sequence, entry, leaf_hash, time, actor, action, agreement, package, outcome FROM audit_entries ORDER BY sequence")
        var current = try AuditEntryBatch.read(from: &entries)
        var checked: (AuditEntryBatch, [AuditEntryCheck])?
        while !current.isEmpty {
            let result = CheckResult()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [current] in result.checks = current.check() }
            if let (batch, checks) = checked { try consume(batch, checks) }
            // A short batch saw the end; stepping again would start the query over.
            let next = current.count < AuditEntryBatch.capacity ? AuditEntryBatch() : try AuditEntryBatch.read(from: &entries)
            group.wait()
            checked = (current, result.checks)
            current = next
        }
        if let (batch, checks) = checked { try consume(batch, checks) }
        progress(accumulator.size, total)
        let size = accumulator.size

        if let stored = pending {
            report(AuditFinding(.truncated, entry: size,
                "stored hashes reach entry \(stored.lastLeaf) but the log ends at entry \(Int64(size) - 1): the last entries were deleted"))
        }
        for checkpoint in signed[nextCheckpoint...] where checkpoint.size > size {
            report(AuditFinding(.truncated, entry: size,
                "checkpoint at size \(checkpoint.size) (signed \(checkpoint.signedAt)) covers more entries than the \(size) the log holds: entries \(size) to \(checkpoint.size - 1) were deleted"))
        }
        if let kept = keptCheckpoint, kept.size > size {
            report(AuditFinding(.notExtendingKeptCheckpoint, entry: size,
                "the checkpoint you kept covers \(kept.size) entries but the log holds only \(size): entries \(size) to \(kept.size - 1) were deleted"))
        }

        // Consecutive checkpoints must be consistent through the stored subtree hashes,
        // which is what proofs served to partners are made of.
        for (older, newer) in zip(signed, signed.dropFirst()) where newer.size <= size {
            do {
                let proof = try log.tree(size: newer.size).consistencyProof(from: older.size)
                try ProofVerification.verifyConsistency(
                    oldSize: older.size, newSize: newer.size, oldRoot: older.root, newRoot: newer.root, proof: proof)
            } catch {
                report(AuditFinding(.inconsistentCheckpoints, entry: firstBadEntry ?? older.size,
                    "checkpoints at sizes \(older.size) and \(newer.size) are not consistent: the log between them was not only appended to"))
            }
        }

        for finding in try RegistryCrossCheck(db).findings() { report(finding) }

        let latestSigned = signed.last(where: { $0.size <= size })?.size ?? 0
        return AuditVerification(
            size: size, checkpointsChecked: signed.count, latestGoodCheckpoint: lastGoodCheckpoint,
            uncheckpointedEntries: size - min(size, latestSigned), findings: findings)
    }
}

/// Carries one batch's checks back from the core that made them; read only after the
/// dispatch group they were made in has been waited for.
private final class CheckResult: @unchecked Sendable {
    var checks: [AuditEntryCheck] = []
}
