import Foundation
import SluiceAudit

/// Recomputes the audit trail from its entries and checks everything stored about it:
/// each entry's place and leaf hash, every stored subtree hash, every checkpoint's
/// signature and root, the consistency of consecutive checkpoints, and, given a
/// checkpoint a partner kept, that the log still extends it.
///
/// Triggers stop changes through the database; they do not stop someone with the files
/// who drops them first. This is what catches that, reading the log once, in order (the
/// store does the reading: ``GatewayStore/verifyAudit(_:keptCheckpoint:progress:)``).
public struct AuditVerifier {
    let store: any GatewayStore
    public let verifiers: [NoteVerifierKey]
    /// Findings beyond this many are counted, not kept: one rewrite can break every
    /// hash above it, and the first findings are the ones that locate it.
    public var findingLimit = 50
    /// The gateway's SM2 checkpoint co-signer, when it has one: each co-signature by it
    /// must verify, and they are counted.
    public var cosigner: SM2NoteKey?

    public init(store: any GatewayStore, verifiers: [NoteVerifierKey]) {
        self.store = store
        self.verifiers = verifiers
    }

    public func verify(
        keptCheckpoint: Checkpoint? = nil, progress: (_ done: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> AuditVerification {
        try store.verifyAudit(self, keptCheckpoint: keptCheckpoint, progress: progress)
    }
}
