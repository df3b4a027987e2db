/// Checks an exported log (one canonical entry per line, in order) against a signed
/// checkpoint, as a remote security officer can: every line's declared sequence is its
/// position, and the tree of the first `checkpoint.size` lines has the checkpoint's root.
/// It cannot see what only the database holds (stored subtrees, older checkpoints);
/// `sluice audit verify` on the gateway host checks those.
public struct ExportedLogCheck: Sendable {
    public let checkpoint: Checkpoint
    public private(set) var findings: [String] = []
    private var accumulator = MerkleAccumulator()
    private var rootChecked = false

    public init(checkpoint: Checkpoint) {
        self.checkpoint = checkpoint
    }

    public var size: UInt64 { accumulator.size }

    public mutating func add(line: some Collection<UInt8>) {
        let index = accumulator.size
        if findings.count < 100 {
            switch AuditEntry.declaredSequence(in: line) {
            case index?: break
            case let declared?: findings.append("entry \(index): its text declares sequence \(declared): entries were removed, added or reordered")
            case nil: findings.append("entry \(index): no sequence in its text; it is not an audit entry")
            }
        }
        accumulator.append(.leaf(Array(line))) { _, _ in }
        if accumulator.size == checkpoint.size { checkRoot() }
    }

    /// Ends the check; the findings are final afterwards.
    public mutating func finish() {
        if checkpoint.size == 0 {
            if accumulator.size == 0 { checkRoot() }
        } else if accumulator.size < checkpoint.size {
            findings.append("the export holds \(accumulator.size) entries but the signed checkpoint covers \(checkpoint.size): the log was truncated")
        }
    }

    public var passed: Bool { findings.isEmpty }

    private mutating func checkRoot() {
        guard !rootChecked else { return }
        rootChecked = true
        if accumulator.root != checkpoint.root {
            findings.append(
                "the first \(checkpoint.size) entries do not hash to the signed checkpoint's root: an entry was changed, removed or inserted")
        }
    }
}
