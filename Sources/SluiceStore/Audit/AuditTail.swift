import SluiceAudit

/// What appending to the audit trail and building its tree need of a store's audit
/// tables: the last bundle, stored subtree hashes, the leaf hashes of a range of
/// bundles, and the two inserts. Each implementation states them in its own SQL; the
/// appending and the tree (``AuditAppender``, ``StoredSubtrees``) are written once.
protocol AuditTail {
    /// Where the log ends (the next entry's sequence) and the latest entry's time, from
    /// the last bundle; nil for an empty log.
    func end() throws -> (size: UInt64, latestTime: String)?
    /// The stored hash of the complete subtree at `level` whose last leaf is `lastLeaf`.
    func storedHash(lastLeaf: UInt64, level: Int) throws -> MerkleHash?
    /// Calls `body` with the first sequence and the leaf hashes (32 bytes each) of every
    /// bundle that holds entries in `start..<end`, in order, until it returns false.
    func leafHashes(from start: UInt64, to end: UInt64, _ body: (_ first: UInt64, _ hashes: UnsafeRawBufferPointer) -> Bool) throws
    /// Stores one bundle: `count` entries from `first`, their canonical JSON one per line.
    func insertBundle(first: UInt64, count: Int, time: String, leafHashes: [UInt8], entries: [UInt8]) throws
    func insertSubtree(lastLeaf: UInt64, level: Int, hash: MerkleHash) throws
}
