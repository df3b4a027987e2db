import SluiceAudit

/// The hashes of the log's complete subtrees, as one tree (a root, a proof) reads them:
/// stored hashes by point reads, smaller subtrees from the aligned block of leaf hashes
/// they lie in, read once — an inclusion proof's lowest siblings all lie in its own
/// leaf's block, so one range read serves them all.
///
/// What was read of a block stays true in an append-only log; a subtree reaching past it
/// (a tree used again after an append in the same transaction) reads the block again.
final class StoredSubtrees<Tail: AuditTail> {
    /// Leaves per block: the smallest stored subtree, whose parts are recomputed.
    static var blockSize: Int { 1 << StoredSubtree.lowestLevel }

    private let tail: Tail
    private var block: (index: UInt64, leaves: [MerkleHash])?

    init(_ tail: Tail) {
        self.tail = tail
    }

    /// The hash of the complete subtree of 2^`level` leaves starting at leaf `index × 2^level`.
    func hash(level: Int, index: UInt64) throws -> MerkleHash {
        if level >= StoredSubtree.lowestLevel {
            let lastLeaf = ((index + 1) << UInt64(level)) - 1
            guard let hash = try tail.storedHash(lastLeaf: lastLeaf, level: level) else {
                throw StoreError.failed("the stored hash of subtree \(level)/\(index) is missing or malformed")
            }
            return hash
        }
        let first = index << UInt64(level)
        let count = 1 << level
        let offset = Int(first % UInt64(Self.blockSize))
        let leaves = try leavesOfBlock(first / UInt64(Self.blockSize), needed: offset + count)
        guard offset + count <= leaves.count else {
            throw StoreError.failed("the leaf hashes of entries \(first) to \(first + UInt64(count) - 1) are missing or malformed")
        }
        var level = Array(leaves[offset..<offset + count])
        while level.count > 1 {
            for pair in 0..<level.count / 2 { level[pair] = .node(level[2 * pair], level[2 * pair + 1]) }
            level.removeLast(level.count / 2)
        }
        return level[0]
    }

    /// The leaf hashes of block `index` from its first leaf up to the first missing or
    /// malformed one, read again unless what was read before reaches `needed` leaves.
    private func leavesOfBlock(_ index: UInt64, needed: Int) throws -> [MerkleHash] {
        if let block, block.index == index, block.leaves.count >= needed { return block.leaves }
        let first = index * UInt64(Self.blockSize)
        var leaves: [MerkleHash] = []
        leaves.reserveCapacity(Self.blockSize)
        try tail.leafHashes(from: first, to: first + UInt64(Self.blockSize)) { bundleFirst, hashes in
            // The hashes themselves, not the bundle's count, say how many leaves it holds:
            // `verify` reports a count that disagrees, and proofs need not fail over it.
            let count = UInt64(hashes.count / 32)
            var sequence = max(first, bundleFirst)
            while sequence < bundleFirst + count, leaves.count < Self.blockSize {
                guard sequence == first + UInt64(leaves.count),
                    let leaf = MerkleHash(
                        raw: UnsafeRawBufferPointer(rebasing: hashes[Int(sequence - bundleFirst) * 32..<Int(sequence - bundleFirst + 1) * 32]))
                else { return false }
                leaves.append(leaf)
                sequence += 1
            }
            return true
        }
        block = (index, leaves)
        return leaves
    }
}
