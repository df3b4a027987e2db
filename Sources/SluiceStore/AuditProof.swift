import Foundation
import SluiceAudit

/// An RFC 9162 inclusion or consistency proof against a signed checkpoint, in the JSON
/// that `sluice audit prove` prints and `/v1/audit/proof/…` serves: hashes in base64,
/// the checkpoint as its signed note, so anyone can check it without Sluice.
public struct AuditProof: Sendable, Hashable, Codable {
    public var tree_size: UInt64
    public var leaf_index: UInt64?
    public var leaf_hash: String?
    /// The entry's canonical JSON, exactly the bytes its leaf hashes.
    public var entry: String?
    public var inclusion_proof: [String]?
    public var old_size: UInt64?
    public var consistency_proof: [String]?
    public var checkpoint: String

    /// Why a proof cannot be made, in words for the person who asked.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Makes the proof against the latest checkpoint, signing a new one first when the
    /// entry (or the size) asked about is newer than it.
    public static func make(trail: AuditTrail, index: UInt64?, consistencyFrom: UInt64?) throws -> AuditProof {
        let size = try trail.database.read { db in try AuditLog(db).size() }
        if let index, index >= size {
            throw Refusal(description: "there is no entry \(index): the log holds \(size) \(size == 1 ? "entry" : "entries")")
        }
        if let consistencyFrom, consistencyFrom == 0 || consistencyFrom > size {
            throw Refusal(description: "the old size must be between 1 and the log's size, \(size)")
        }
        var latest = try trail.database.read { db in try AuditLog(db).latestCheckpoint() }
        if latest == nil || (index ?? 0) >= latest!.size || (consistencyFrom ?? 0) > latest!.size {
            try trail.checkpoint()
            latest = try trail.database.read { db in try AuditLog(db).latestCheckpoint() }
        }
        guard let checkpoint = latest else { throw Refusal(description: "the log is empty; there is nothing to prove") }
        return try trail.database.read { db in
            let log = AuditLog(db)
            let tree = try log.tree(size: checkpoint.size)
            var proof = AuditProof(tree_size: checkpoint.size, checkpoint: checkpoint.note)
            if let index, let entry = try log.entry(at: index) {
                proof.leaf_index = index
                proof.entry = entry.json
                proof.leaf_hash = entry.leafHash.base64EncodedString()
                proof.inclusion_proof = try tree.inclusionProof(index: index).map(\.base64)
            }
            if let consistencyFrom {
                proof.old_size = consistencyFrom
                proof.consistency_proof = try tree.consistencyProof(from: consistencyFrom).map(\.base64)
            }
            return proof
        }
    }
}
