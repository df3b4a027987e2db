import Foundation
import SluiceAPI
import SluiceAudit
import SluiceStore

extension APIDocument.AuditProof {
    /// Why a proof cannot be made, in words for the person who asked.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Makes the proof against the latest checkpoint, signing a new one first when the
    /// entry (or the size) asked about is newer than it.
    public static func make(trail: AuditTrail, index: UInt64?, consistencyFrom: UInt64?) throws -> APIDocument.AuditProof {
        let size = try trail.store.read { store in try store.audit.size() }
        if let index, index >= size {
            throw Refusal(description: "there is no entry \(index): the log holds \(size) \(size == 1 ? "entry" : "entries")")
        }
        if let consistencyFrom, consistencyFrom == 0 || consistencyFrom > size {
            throw Refusal(description: "the old size must be between 1 and the log's size, \(size)")
        }
        var latest = try trail.store.read { store in try store.audit.latestCheckpoint() }
        if latest == nil || (index ?? 0) >= latest!.size || (consistencyFrom ?? 0) > latest!.size {
            try trail.checkpoint()
            latest = try trail.store.read { store in try store.audit.latestCheckpoint() }
        }
        guard let checkpoint = latest else { throw Refusal(description: "the log is empty; there is nothing to prove") }
        return try trail.store.read { store in
            let log = store.audit
            let tree = try log.tree(size: checkpoint.size)
            var proof = APIDocument.AuditProof(treeSize: checkpoint.size, checkpoint: checkpoint.note)
            if let index, let entry = try log.entry(at: index) {
                proof.leafIndex = index
                proof.entry = entry.json
                proof.leafHash = entry.leafHash.base64EncodedString()
                proof.inclusionProof = try tree.inclusionProof(index: index).map(\.base64)
            }
            if let consistencyFrom {
                proof.oldSize = consistencyFrom
                proof.consistencyProof = try tree.consistencyProof(from: consistencyFrom).map(\.base64)
            }
            return proof
        }
    }
}
