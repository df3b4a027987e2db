/// Builds an RFC 9162 tree leaf by leaf, keeping only the hashes of its complete
/// subtrees on the right edge (at most log₂ n of them): the root of any prefix of a log
/// in O(log n) memory, as verification and appending need.
public struct MerkleAccumulator: Sendable {
    public private(set) var size: UInt64 = 0
    /// Hashes of the complete subtrees the tree is made of, leftmost (largest) first;
    /// their sizes are the set bits of `size`.
    private var peaks: [MerkleHash] = []

    public init() {}

    /// Adds the next leaf. `completed` is called for each complete subtree this leaf
    /// closes, from level 1 up, with the subtree's level and hash.
    public mutating func append(_ leaf: MerkleHash, completed: (_ level: Int, _ hash: MerkleHash) throws -> Void = { _, _ in }) rethrows {
        var hash = leaf
        var remaining = size
        var level = 0
        while remaining & 1 == 1 {
            hash = .node(peaks.removeLast(), hash)
            level += 1
            try completed(level, hash)
            remaining >>= 1
        }
        peaks.append(hash)
        size += 1
    }

    /// The root of the tree of the leaves appended so far.
    public var root: MerkleHash {
        guard var hash = peaks.last else { return .emptyTree }
        for peak in peaks.dropLast().reversed() { hash = .node(peak, hash) }
        return hash
    }
}
