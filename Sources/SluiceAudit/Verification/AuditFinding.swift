/// One thing `verify` found wrong with the audit trail, naming the first entry it
/// concerns where one can be named.
public struct AuditFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// An entry's position or its own sequence number is not what it should be.
        case entryOutOfPlace = "entry_out_of_place"
        /// Entries are missing between two that are present.
        case entriesMissing = "entries_missing"
        /// An entry's content no longer matches the leaf hash recorded when it was written.
        case entryChanged = "entry_changed"
        /// What a stored bundle says about its entries (how many, their time range) no
        /// longer matches them, or an entry in it is not a well-formed entry: reads and
        /// time queries would misplace or hide entries.
        case bundleChanged = "bundle_changed"
        /// A stored subtree hash is missing or does not match the entries under it.
        case subtreeMismatch = "subtree_mismatch"
        /// Stored hashes or checkpoints cover entries that are no longer there.
        case truncated
        /// A checkpoint's signature does not verify, or its text does not parse.
        case checkpointForged = "checkpoint_forged"
        /// A signed checkpoint's root is not the root of the entries it covers.
        case checkpointMismatch = "checkpoint_mismatch"
        /// Two consecutive checkpoints are not consistent: the log was not only appended to.
        case inconsistentCheckpoints = "inconsistent_checkpoints"
        /// The checkpoint a partner kept is not a prefix of this log.
        case notExtendingKeptCheckpoint = "not_extending_kept_checkpoint"
        /// A registry row (agreement version or state, agency certificate) has no audit
        /// entry that recorded it, or differs from what that entry recorded.
        case registryChanged = "registry_changed"
        /// An entry is dated before one written earlier, and is not a recorded clock
        /// correction (`gateway.clock_corrected`).
        case timeReversed = "time_reversed"
    }

    public var kind: Kind
    /// The first entry concerned, where one can be named.
    public var entry: UInt64?
    public var message: String

    public init(_ kind: Kind, entry: UInt64?, _ message: String) {
        self.kind = kind
        self.entry = entry
        self.message = message
    }

    public var description: String { message }
}
