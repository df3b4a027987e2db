import Foundation
import GRDB
import SluiceAudit

/// ``AuditVerifier``'s reading of a ``GatewayDatabase``: the bundles and stored subtree
/// hashes straight from SQLite's rows, on one read transaction.
struct SQLiteAuditCheck {
    let verifier: AuditVerifier

    func run(
        _ db: Database, keptCheckpoint: Checkpoint?, progress: (UInt64, UInt64) -> Void
    ) throws -> AuditVerification {
        let log = SQLiteAuditLog(db)
        let total = try log.size()
        // Reported to the replay once it exists: it needs the checkpoints that verified.
        var findings: [AuditFinding] = []
        func report(_ finding: AuditFinding) { findings.append(finding) }

        // Checkpoints first: only those whose signature verifies say anything about the entries.
        var signed: [AuditReplay.SignedSize] = []
        var cosigned = 0
        for stored in try log.checkpoints() {
            do {
                let opened = try SignedNote.open(stored.note, verifiers: verifier.verifiers)
                let checkpoint = try Checkpoint(text: opened.text)
                guard opened.signedBy.contains(where: { $0.name == checkpoint.origin }) else {
                    report(
                        AuditFinding(
                            .checkpointForged, entry: nil,
                            "checkpoint at size \(stored.size) names the log \"\(checkpoint.origin)\", not the one its key signs for"))
                    continue
                }
                guard checkpoint.size == stored.size else {
                    report(
                        AuditFinding(
                            .checkpointForged, entry: nil,
                            "checkpoint stored under size \(stored.size) says it covers \(checkpoint.size) entries: it was moved"))
                    continue
                }
                switch verifier.cosigner?.verifiesCosignature(of: stored.note) {
                case false?:
                    report(
                        AuditFinding(
                            .checkpointForged, entry: nil, "checkpoint at size \(stored.size) carries an SM2 co-signature that does not verify"))
                    continue
                case true?: cosigned += 1
                case nil: break
                }
                signed.append(AuditReplay.SignedSize(size: stored.size, signedAt: stored.signedAt, root: checkpoint.root))
            } catch {
                report(
                    AuditFinding(
                        .checkpointForged, entry: nil,
                        "checkpoint at size \(stored.size) (signed \(stored.signedAt)) does not verify with the checkpoint key: it was replaced or forged"
                    ))
            }
        }

        let replay = AuditReplay(signed: signed, keptCheckpoint: keptCheckpoint, findingLimit: verifier.findingLimit)
        for finding in findings { replay.report(finding) }

        // Two stages on two cores: this thread reads a batch of rows (and the stored
        // subtree hashes ending among them) while another checks the batch read before
        // and folds it into the tree, in order.
        // Read the file through a memory map: no copy of every page through read(2).
        // (SQLite caps it at its compile-time maximum, 2 GB by default.)
        try db.execute(sql: "PRAGMA mmap_size = 2147418112")
        var entries = try RawRowCursor(db, sql: "SELECT \(AuditBundle.columns) FROM audit_bundles ORDER BY first")
        var subtrees = try RawRowCursor(db, sql: "SELECT last_leaf, level, hash FROM audit_subtrees ORDER BY last_leaf, level")
        func nextSubtree() throws -> StoredSubtree? {
            try subtrees.step()
                ? StoredSubtree(lastLeaf: UInt64(subtrees.int64(0)), level: Int(subtrees.int64(1)), hash: MerkleHash(raw: subtrees.bytes(2))) : nil
        }
        var pending = try nextSubtree()
        var read: UInt64 = 0
        func readBatch() throws -> AuditEntryBatch {
            var batch = try AuditEntryBatch.read(from: &entries)
            read += UInt64(batch.count)
            while let stored = pending, stored.lastLeaf < read {
                batch.subtrees.append(stored)
                pending = try nextSubtree()
            }
            return batch
        }

        var current = try readBatch()
        while !current.isEmpty {
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [current] in replay.fold(current) }
            // Stepping a query that has ended would start it over.
            let next = current.sawEnd ? Result { AuditEntryBatch() } : Result { try readBatch() }
            group.wait()
            if replay.accumulator.size >> 16 != (replay.accumulator.size - UInt64(current.count)) >> 16 {
                progress(replay.accumulator.size, total)
            }
            current = try next.get()
        }
        progress(replay.accumulator.size, total)
        let size = replay.accumulator.size

        if let stored = replay.carried.first ?? pending {
            replay.report(
                AuditFinding(
                    .truncated, entry: size,
                    "stored hashes reach entry \(stored.lastLeaf) but the log ends at entry \(Int64(size) - 1): the last entries were deleted"))
        }
        for checkpoint in signed[replay.nextCheckpoint...] where checkpoint.size > size {
            replay.report(
                AuditFinding(
                    .truncated, entry: size,
                    "checkpoint at size \(checkpoint.size) (signed \(checkpoint.signedAt)) covers more entries than the \(size) the log holds: entries \(size) to \(checkpoint.size - 1) were deleted"
                ))
        }
        if let kept = keptCheckpoint, kept.size > size {
            replay.report(
                AuditFinding(
                    .notExtendingKeptCheckpoint, entry: size,
                    "the checkpoint you kept covers \(kept.size) entries but the log holds only \(size): entries \(size) to \(kept.size - 1) were deleted"
                ))
        }

        // Consecutive checkpoints must be consistent through the stored subtree hashes,
        // which is what proofs served to partners are made of.
        for (older, newer) in zip(signed, signed.dropFirst()) where newer.size <= size {
            do {
                let proof = try log.tree(size: newer.size).consistencyProof(from: older.size)
                try ProofVerification.verifyConsistency(
                    oldSize: older.size, newSize: newer.size, oldRoot: older.root, newRoot: newer.root, proof: proof)
            } catch {
                replay.report(
                    AuditFinding(
                        .inconsistentCheckpoints, entry: replay.firstBadEntry ?? older.size,
                        "checkpoints at sizes \(older.size) and \(newer.size) are not consistent: the log between them was not only appended to"))
            }
        }

        for finding in try RegistryCrossCheck(db).findings(recorded: replay.registryChanges) { replay.report(finding) }

        let latestSigned = signed.last(where: { $0.size <= size })?.size ?? 0
        var verification = AuditVerification(
            size: size, checkpointsChecked: signed.count, latestGoodCheckpoint: replay.lastGoodCheckpoint,
            uncheckpointedEntries: size - min(size, latestSigned), findings: replay.findings)
        verification.checkpointsCosigned = cosigned
        return verification
    }
}
