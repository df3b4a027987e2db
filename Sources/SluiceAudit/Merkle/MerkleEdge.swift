/// The right edge of a stored log's tree while entries are appended to it: the complete
/// subtrees the next leaves join, read from the store only when a leaf first needs one
/// (most appends need one or two), then remembered. Every store appends through it, so
/// the subtrees it reports are the same whichever store, or gateway, wrote the leaves.
public struct MerkleEdge: Sendable {
    /// The number of leaves, which is also the next leaf's index.
    public private(set) var size: UInt64
    /// The hash of the complete subtree at each level that ends just before `size`, when
    /// already known (bit `level` of `size` is set).
    private var known: [MerkleHash?] = Array(repeating: nil, count: 64)

    /// The edge of a tree of `size` leaves, nothing of it read yet.
    public init(size: UInt64) {
        self.size = size
    }

    /// Adds leaf `size`. `stored(level, index)` reads the hash of the complete subtree of
    /// 2^`level` leaves starting at leaf `index × 2^level`, for a part of the edge not known
    /// yet; `completed` hears each complete subtree the leaf closes, from level 1 up.
    public mutating func append(
        _ leaf: MerkleHash, stored: (_ level: Int, _ index: UInt64) throws -> MerkleHash,
        completed: (_ level: Int, _ hash: MerkleHash) -> Void
    ) rethrows {
        var hash = leaf
        var position = size
        var level = 0
        while position & 1 == 1 {
            let left = try known[level] ?? stored(level, position - 1)
            known[level] = nil
            hash = .node(left, hash)
            level += 1
            position >>= 1
            completed(level, hash)
        }
        known[level] = hash
        size += 1
    }
}
