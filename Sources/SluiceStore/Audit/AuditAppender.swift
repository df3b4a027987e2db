import Foundation
import SluiceAudit

/// Appends entries to the audit trail inside one transaction, remembering between
/// appends what the next one needs: its sequence and the hashes of the complete
/// subtrees on the tree's right edge. The first append reads them (O(log n) point
/// reads at most); the rest of a transaction reads nothing and only inserts.
///
/// Each call writes one bundle row, whatever the number of entries, then the subtree
/// hashes those entries complete. The store's own rules still check every insert: if
/// anything else appended in the same transaction, the next insert here is refused and
/// the transaction rolls back.
struct AuditAppender<Tail: AuditTail>: AuditAppending {
    let tail: Tail
    /// The tree's right edge; its size is the next entry's sequence.
    private var edge: MerkleEdge
    private let time: String
    /// Set while an append is under way and left set if it fails: the remembered edge
    /// may then be half updated, so nothing more may be appended through this appender.
    private var interrupted = false

    /// `acceptingCorrection` lets this transaction's entries be dated before the latest
    /// one (only the entry recording a clock correction); otherwise ``AuditClock`` decides.
    init(_ tail: Tail, time: Date, acceptingCorrection: Bool = false) throws {
        self.tail = tail
        let end = try tail.end()
        edge = MerkleEdge(size: end?.size ?? 0)
        let latest = end.flatMap { AuditTime.parse($0.latestTime) }
        self.time = AuditTime.format(try AuditClock.entryTime(now: time, latest: latest, acceptingCorrection: acceptingCorrection))
    }

    /// Appends `event` as the next entry.
    mutating func append(_ event: AuditEvent) throws -> AuditEntry {
        try append(contentsOf: CollectionOfOne(event))[0]
    }

    /// Appends `events` as the next entries, in order, as one bundle per
    /// ``AuditBundle/largest`` entries.
    mutating func append(contentsOf events: some Collection<AuditEvent>) throws -> [AuditEntry] {
        guard events.count > AuditBundle.largest else { return try appendBundle(events) }
        var written: [AuditEntry] = []
        written.reserveCapacity(events.count)
        var rest = events[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(AuditBundle.largest)
            written += try appendBundle(chunk)
            rest = rest[chunk.endIndex...]
        }
        return written
    }

    private mutating func appendBundle(_ events: some Collection<AuditEvent>) throws -> [AuditEntry] {
        guard !interrupted else {
            throw StoreError.failed("an earlier audit append in this transaction failed; the transaction must be abandoned")
        }
        guard !events.isEmpty else { return [] }
        interrupted = true
        let first = edge.size
        var written: [AuditEntry] = []
        written.reserveCapacity(events.count)
        var text: [UInt8] = []
        var leaves: [UInt8] = []
        leaves.reserveCapacity(events.count * 32)
        var subtrees: [(lastLeaf: UInt64, level: Int, hash: MerkleHash)] = []
        // A level not yet known is read from the store (mostly on a transaction's first
        // append); one reader per call lets the lowest levels share one block read.
        var stored: StoredSubtrees<Tail>?
        let tail = self.tail
        for event in events {
            let sequence = first + UInt64(written.count)
            let entry = AuditEntry(sequence: sequence, time: time, event: event)
            let json = entry.canonicalJSON
            let leaf = json.withUnsafeBytes { MerkleHash.leaf(raw: $0) }
            if text.isEmpty { text.reserveCapacity((json.count + 1) * events.count + 64) }
            text.append(contentsOf: json)
            text.append(0x0A)
            leaf.withUnsafeBytes { leaves.append(contentsOf: $0) }

            try edge.append(
                leaf,
                stored: { level, index in
                    if stored == nil { stored = StoredSubtrees(tail) }
                    return try stored!.hash(level: level, index: index)
                },
                completed: { level, hash in
                    if level >= StoredSubtree.lowestLevel { subtrees.append((sequence, level, hash)) }
                })
            written.append(entry)
        }
        try tail.insertBundle(first: first, count: written.count, time: time, leafHashes: leaves, entries: text)
        for subtree in subtrees { try tail.insertSubtree(lastLeaf: subtree.lastLeaf, level: subtree.level, hash: subtree.hash) }
        interrupted = false
        return written
    }
}
