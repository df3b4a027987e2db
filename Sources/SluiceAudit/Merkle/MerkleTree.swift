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
        var parts: [MerkleHash] = []
        var start = range.lowerBound
        while start < range.upperBound {
            // The largest aligned power of two that starts here and fits.
            var level = start == 0 ? 63 : start.trailingZeroBitCount
            while level > 0, start + (1 << UInt64(level)) > range.upperBound { level -= 1 }
            parts.append(try subtree(level, start >> UInt64(level)))
            start += 1 << UInt64(level)
        }
        var hash = parts.removeLast()
        while let left = parts.popLast() { hash = .node(left, hash) }
        return hash
    }

    /// PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf `index`.
    public func inclusionProof(index: UInt64) throws -> [MerkleHash] {
        precondition(index < size, "leaf outside the tree")
        return try path(index, 0..<size)
    }

    private func path(_ index: UInt64, _ range: Range<UInt64>) throws -> [MerkleHash] {
        let count = UInt64(range.count)
        guard count > 1 else { return [] }
        let split = Self.largestPowerOfTwo(below: count)
        let middle = range.lowerBound + split
        if index < middle {
            return try path(index, range.lowerBound..<middle) + [hash(of: middle..<range.upperBound)]
        }
        return try path(index, middle..<range.upperBound) + [hash(of: range.lowerBound..<middle)]
    }

    /// PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the tree of `oldSize` leaves is a prefix of this one.
    public func consistencyProof(from oldSize: UInt64) throws -> [MerkleHash] {
        precondition(oldSize > 0 && oldSize <= size, "consistency needs 0 < old size ≤ size")
        return oldSize == size ? [] : try subproof(oldSize, 0..<size, complete: true)
    }

    private func subproof(_ m: UInt64, _ range: Range<UInt64>, complete: Bool) throws -> [MerkleHash] {
        let count = UInt64(range.count)
        if m == count { return complete ? [] : [try hash(of: range)] }
        let split = Self.largestPowerOfTwo(below: count)
        let middle = range.lowerBound + split
        if m <= split {
            return try subproof(m, range.lowerBound..<middle, complete: complete) + [hash(of: middle..<range.upperBound)]
        }
        return try subproof(m - split, middle..<range.upperBound, complete: false) + [hash(of: range.lowerBound..<middle)]
    }

    /// The largest power of two strictly less than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}
