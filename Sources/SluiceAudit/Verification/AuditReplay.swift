import Foundation

/// The audit trail rebuilt entry by entry, in order, as `verify` reads it: each batch's
/// own checks, then its leaves folded into the tree, compared with the stored subtree
/// hashes and the signed checkpoints they reach; what is wrong becomes findings.
///
/// It runs on the core that is not reading the database, one batch at a time: the
/// verifier hands it a batch only after the previous one is done, which is what makes
/// the unchecked `Sendable` sound.
public final class AuditReplay: @unchecked Sendable {
    /// A checkpoint whose signature verified, reduced to what the replay compares.
    public struct SignedSize {
        public var size: UInt64
        public var signedAt: String
        public var root: MerkleHash

        public init(size: UInt64, signedAt: String, root: MerkleHash) {
            self.size = size
            self.signedAt = signedAt
            self.root = root
        }
    }

    public let signed: [SignedSize]
    public let keptCheckpoint: Checkpoint?
    public let findingLimit: Int

    public private(set) var findings: [AuditFinding] = []
    public private(set) var firstBadEntry: UInt64?
    public private(set) var accumulator = MerkleAccumulator()
    public private(set) var nextCheckpoint = 0
    public private(set) var lastGoodCheckpoint: UInt64?
    /// The sequence the next entry should have.
    private var expected: UInt64 = 0
    /// The latest entry time so far (``AuditEntryBatch/timeKey(_:)``), reset by a recorded clock correction.
    private var latestTime: Int64 = 0
    /// Stored hashes at the end of the last batch that its last entry did not complete:
    /// they are judged with the next entry, or as truncation when there is none.
    public private(set) var carried: [StoredSubtree] = []
    /// Every successful entry that records a registry change, for the registry cross-check.
    public private(set) var registryChanges: [(sequence: UInt64, json: String)] = []

    public init(signed: [SignedSize], keptCheckpoint: Checkpoint?, findingLimit: Int) {
        self.signed = signed
        self.keptCheckpoint = keptCheckpoint
        self.findingLimit = findingLimit
    }

    public func report(_ finding: AuditFinding) {
        if let entry = finding.entry { firstBadEntry = min(firstBadEntry ?? entry, entry) }
        if findings.count < findingLimit { findings.append(finding) }
    }

    /// Checks the batch's rows and folds its entries into the tree. The batch carries the
    /// stored subtree hashes that end within it.
    public func fold(_ batch: AuditEntryBatch) {
        var subtrees = (carried + batch.subtrees)[...]
        for problem in batch.bundleProblems { report(AuditFinding(.bundleChanged, entry: problem.entry, problem.message)) }
        for (sequence, check) in zip(batch.sequences, batch.check()) {
            if let json = check.registryChange { registryChanges.append((sequence, json)) }
            if sequence != expected {
                report(
                    AuditFinding(
                        .entriesMissing, entry: expected,
                        sequence == expected + 1
                            ? "entry \(expected) is missing: it was deleted"
                            : "entries \(expected) to \(sequence - 1) are missing: they were deleted"))
                expected = sequence
            }
            // One finding per entry, the most telling first: a moved entry also fails its
            // leaf hash, a changed one perhaps its bundle's time range.
            if check.declared != sequence {
                report(
                    AuditFinding(
                        .entryOutOfPlace, entry: sequence,
                        "entry \(sequence) says it is entry \(check.declared.map(String.init) ?? "(unreadable)"): entries were moved or swapped"))
            } else if !check.leafMatches {
                report(
                    AuditFinding(
                        .entryChanged, entry: sequence,
                        "entry \(sequence) was changed after it was written: its content does not match its recorded leaf hash"))
            } else if !check.wellFormed {
                report(AuditFinding(.bundleChanged, entry: sequence, "entry \(sequence) is not a well-formed audit entry"))
            } else if !check.timeCovered {
                report(
                    AuditFinding(
                        .bundleChanged, entry: sequence,
                        "entry \(sequence): its bundle's recorded time range no longer covers the entry's time, so time queries would hide it"))
            } else if check.timeKey < latestTime, !check.correctsClock {
                report(
                    AuditFinding(
                        .timeReversed, entry: sequence,
                        "entry \(sequence) is dated before an entry written earlier: its clock was set back without a recorded correction, or entries were reordered"
                    ))
            }
            latestTime = check.correctsClock ? check.timeKey : max(latestTime, check.timeKey)
            let position = accumulator.size
            while let stored = subtrees.first, stored.lastLeaf < position {
                if firstBadEntry == nil {
                    report(
                        AuditFinding(
                            .subtreeMismatch, entry: stored.lastLeaf,
                            "a stored hash ends at entry \(stored.lastLeaf) at level \(stored.level), where the tree has none"))
                }
                subtrees.removeFirst()
            }
            accumulator.append(check.leaf) { level, hash in
                var matched = false
                var present = false
                if let stored = subtrees.first, stored.lastLeaf == position, stored.level == level {
                    present = true
                    matched = stored.hash == hash
                    subtrees.removeFirst()
                }
                // Below the lowest stored level a hash may be absent (it is recomputed
                // from leaves), but one that is there must still be right.
                let required = level >= StoredSubtree.lowestLevel
                if !matched, required || present, firstBadEntry == nil {
                    let first = position + 1 - (1 << UInt64(level))
                    report(
                        AuditFinding(
                            .subtreeMismatch, entry: first,
                            "the stored hash over entries \(first) to \(position) is missing or does not match them: one of them was rewritten along with its leaf hash"
                        ))
                }
            }
            checkRoots()
            expected += 1
        }
        carried = Array(subtrees)
    }

    /// Compares the tree with the signed checkpoints (and the one a partner kept) that
    /// end where it now ends.
    private func checkRoots() {
        let size = accumulator.size
        while nextCheckpoint < signed.count, signed[nextCheckpoint].size <= size {
            let checkpoint = signed[nextCheckpoint]
            nextCheckpoint += 1
            guard checkpoint.size == size else { continue }
            if checkpoint.root == accumulator.root {
                if firstBadEntry == nil { lastGoodCheckpoint = size }
            } else {
                let from = lastGoodCheckpoint ?? 0
                report(
                    AuditFinding(
                        .checkpointMismatch, entry: firstBadEntry ?? from,
                        "checkpoint at size \(size) (signed \(checkpoint.signedAt)) does not match the entries it covers: "
                            + (firstBadEntry.map { "entry \($0) is the first bad one" }
                                ?? "an entry from \(from) to \(size - 1) was rewritten with its hashes, or entries were inserted, removed or reordered")
                    ))
            }
        }
        if let kept = keptCheckpoint, kept.size == size, kept.root != accumulator.root {
            report(
                AuditFinding(
                    .notExtendingKeptCheckpoint, entry: firstBadEntry,
                    "the log does not extend the checkpoint you kept (size \(kept.size)): its first \(kept.size) entries are not the ones that checkpoint signed"
                ))
        }
    }
}

/// A subtree hash the store kept: the complete subtree of 2^`level` leaves ending at leaf
/// `lastLeaf`, and its hash (nil when the stored value is malformed, which matches nothing).
public struct StoredSubtree: Sendable {
    /// Subtrees of this level and above are stored (``AuditEntryBatch/subtrees``); below it, verification recomputes them.
    public static let lowestLevel = 4
    public var lastLeaf: UInt64
    public var level: Int
    public var hash: MerkleHash?

    public init(lastLeaf: UInt64, level: Int, hash: MerkleHash?) {
        self.lastLeaf = lastLeaf
        self.level = level
        self.hash = hash
    }
}
