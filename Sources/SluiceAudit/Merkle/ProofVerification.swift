/// Checks of RFC 9162 proofs, as any partner holding a checkpoint would run them.
/// Each failure says what does not hold; none of them trusts the log.
public enum ProofVerification {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case indexOutOfRange(index: UInt64, size: UInt64)
        case wrongProofLength(expected: Int, found: Int)
        case rootMismatch
        case sizesOutOfOrder(UInt64, UInt64)
        case emptyOldTree

        public var description: String {
            switch self {
            case .indexOutOfRange(let index, let size): return "entry \(index) is not in a tree of \(size) entries"
            case .wrongProofLength(let expected, let found): return "the proof has \(found) hashes, not \(expected)"
            case .rootMismatch: return "the proof does not lead to the root: the log was changed"
            case .sizesOutOfOrder(let old, let new): return "a tree of \(old) entries cannot grow into one of \(new)"
            case .emptyOldTree: return "a consistency proof from an empty tree proves nothing"
            }
        }
    }

    /// RFC 9162 §2.1.3.2: the leaf at `index` is in the tree of `size` with `root`.
    public static func verifyInclusion(
        index: UInt64, size: UInt64, leaf: MerkleHash, proof: [MerkleHash], root: MerkleHash
    ) throws(Failure) {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        let expected = inclusionProofLength(index: index, size: size)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, found: proof.count) }
        var fn = index
        var sn = size - 1
        var hash = leaf
        for sibling in proof {
            if fn & 1 == 1 || fn == sn {
                hash = .node(sibling, hash)
                while fn & 1 == 0, fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                hash = .node(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0, hash == root else { throw .rootMismatch }
    }

    /// RFC 9162 §2.1.4.2: the tree of `newSize` with `newRoot` extends the tree of
    /// `oldSize` with `oldRoot`: the log only grew. An empty old tree is refused.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: MerkleHash, newRoot: MerkleHash, proof: [MerkleHash]
    ) throws(Failure) {
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize, newSize) }
        guard oldSize > 0 else { throw .emptyOldTree }
        if oldSize == newSize {
            guard proof.isEmpty else { throw .wrongProofLength(expected: 0, found: proof.count) }
            guard oldRoot == newRoot else { throw .rootMismatch }
            return
        }
        let expected = consistencyProofLength(oldSize: oldSize, newSize: newSize)
        guard proof.count == expected else { throw .wrongProofLength(expected: expected, found: proof.count) }
        // When the old tree is a complete subtree, its root is the proof's implicit first hash.
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = path[0]
        var newHash = path[0]
        for hash in path.dropFirst() {
            guard sn != 0 else { throw .rootMismatch }
            if fn & 1 == 1 || fn == sn {
                oldHash = .node(hash, oldHash)
                newHash = .node(hash, newHash)
                while fn & 1 == 0, fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newHash = .node(newHash, hash)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0, oldHash == oldRoot, newHash == newRoot else { throw .rootMismatch }
    }

    /// The number of hashes an inclusion proof has (one per level where the path turns).
    static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        // Levels below the point where index and size-1 meet, plus the right border.
        let inner = 64 - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> UInt64(inner)).nonzeroBitCount
        return inner + border
    }

    /// The number of hashes a consistency proof has: the inner levels where the old and
    /// new trees' last entries part, less those inside the old tree's largest complete
    /// right subtree, the border above, and that subtree's root unless the whole old tree
    /// is one complete subtree (then the old root itself stands in for it).
    static func consistencyProofLength(oldSize: UInt64, newSize: UInt64) -> Int {
        let inner = 64 - ((oldSize - 1) ^ (newSize - 1)).leadingZeroBitCount
        let border = ((oldSize - 1) >> UInt64(inner)).nonzeroBitCount
        let shift = oldSize.trailingZeroBitCount
        let seed = oldSize & (oldSize - 1) == 0 ? 0 : 1
        return seed + (inner - shift) + border
    }
}
