/// Roots and proofs of RFC 9162 trees over any source of leaf hashes.
///
/// A log keeps the hashes of complete subtrees (their sizes powers of two, aligned);
/// every range the RFC's recursion needs splits into at most log₂ n of them, so roots
/// and proofs cost O(log² n) reads at most, whatever the log's size.
public struct MerkleTree {
    /// Returns the hash of the complete subtree of 2^`level` leaves starting at leaf
    /// `index × 2^level`.
    public typealias SubtreeHash = (_ level: Int, _ index: UInt64) throws -> MerkleHash

    public let size: UInt64
    let subtree: SubtreeHash

    public init(size: UInt64, subtree: @escaping SubtreeHash) {
        self.size = size
        self.subtree = subtree
    }

    /// A tree over leaf hashes held in memory (tests, offline tools).
    public init(leaves: [MerkleHash]) {
        var levels = [leaves]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            levels.append(stride(from: 0, to: below.count - 1, by: 2).map { MerkleHash.node(below[$0], below[$0 + 1]) })
        }
        self.init(size: UInt64(leaves.count)) { level, index in levels[level][Int(index)] }
    }

    public func root() throws -> MerkleHash {
        size == 0 ? .emptyTree : try hash(of: 0..<size)
    }

    /// MTH of leaves `range` (RFC 9162 §2.1.1): the complete subtrees it is made of,
    /// largest first, folded from the right.
    func hash(of range: Range<UInt64>) throws -> MerkleHash {
        // At most one part per bit of the range's length: a fixed buffer on the stack,
        // not an array per call (a proof asks for dozens of these).
        try withUnsafeTemporaryAllocation(of: MerkleHash.self, capacity: 64) { parts in
            var count = 0
            var start = range.lowerBound
            while start < range.upperBound {
                // The largest aligned power of two that starts here and fits.
                var level = start == 0 ? 63 : start.trailingZeroBitCount
                while level > 0, start + (1 << UInt64(level)) > range.upperBound { level -= 1 }
                parts.initializeElement(at: count, to: try subtree(level, start >> UInt64(level)))
                count += 1
                start += 1 << UInt64(level)
            }
            var hash = parts[count - 1]
            for index in stride(from: count - 2, through: 0, by: -1) { hash = .node(parts[index], hash) }
            return hash
        }
    }

    /// PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf `index`.
    public func inclusionProof(index: UInt64) throws -> [MerkleHash] {
        precondition(index < size, "leaf outside the tree")
        // The recursion walked from the top; the proof lists its siblings from the bottom.
        var siblings: [MerkleHash] = []
        siblings.reserveCapacity(64)
        var range = 0..<size
        while range.count > 1 {
            let middle = range.lowerBound + Self.largestPowerOfTwo(below: UInt64(range.count))
            if index < middle {
                siblings.append(try hash(of: middle..<range.upperBound))
                range = range.lowerBound..<middle
            } else {
                siblings.append(try hash(of: range.lowerBound..<middle))
                range = middle..<range.upperBound
            }
        }
        siblings.reverse()
        return siblings
    }

    /// PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the tree of `oldSize` leaves is a prefix of this one.
    public func consistencyProof(from oldSize: UInt64) throws -> [MerkleHash] {
        precondition(oldSize > 0 && oldSize <= size, "consistency needs 0 < old size ≤ size")
        guard oldSize < size else { return [] }
        // SUBPROOF walked from the top, as in inclusionProof; its innermost part comes first.
        var proof: [MerkleHash] = []
        proof.reserveCapacity(64)
        var m = oldSize
        var range = 0..<size
        var complete = true
        while m != UInt64(range.count) {
            let split = Self.largestPowerOfTwo(below: UInt64(range.count))
            let middle = range.lowerBound + split
            if m <= split {
                proof.append(try hash(of: middle..<range.upperBound))
                range = range.lowerBound..<middle
            } else {
                proof.append(try hash(of: range.lowerBound..<middle))
                m -= split
                range = middle..<range.upperBound
                complete = false
            }
        }
        if !complete { proof.append(try hash(of: range)) }
        proof.reverse()
        return proof
    }

    /// The largest power of two strictly less than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}
