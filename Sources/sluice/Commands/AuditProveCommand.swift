import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit prove`: an inclusion proof for one entry, or a consistency proof from an
/// older size, against the latest signed checkpoint, as JSON anyone can check.
struct AuditProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an RFC 9162 inclusion (or consistency) proof against the latest signed checkpoint, as JSON.",
        discussion: """
            If the entry is newer than the latest checkpoint, a new checkpoint is signed first. \
            Hashes are base64; the checkpoint is the signed note to verify them against.
            """)

    @OptionGroup var trailOptions: AuditTrailOptions
    @Option(help: "The entry (leaf index) to prove is in the log.") var index: UInt64?
    @Option(name: .customLong("consistency-from"), help: "Prove the log of this many entries is a prefix of the current one.")
    var consistencyFrom: UInt64?

    func validate() throws {
        guard (index == nil) != (consistencyFrom == nil) else {
            throw ValidationError("give either --index N or --consistency-from SIZE")
        }
    }

    func run() throws {
        let trail = try trailOptions.openTrail()
        try trailOptions.recordRead(trail, .auditProofServed, details: index.map { ["index": .count(Int($0))] } ?? ["from_size": .count(Int(consistencyFrom ?? 0))])
        let size = try trail.database.read { db in try AuditLog(db).size() }
        if let index, index >= size { throw CommandFailure.input("there is no entry \(index): the log holds \(counted(size, "entry", "entries"))") }
        if let consistencyFrom, consistencyFrom == 0 || consistencyFrom > size {
            throw CommandFailure.input("--consistency-from must be between 1 and the log's size, \(size)")
        }
        var latest = try trail.database.read { db in try AuditLog(db).latestCheckpoint() }
        if latest == nil || (index ?? 0) >= latest!.size || (consistencyFrom ?? 0) > latest!.size {
            try trail.checkpoint()
            latest = try trail.database.read { db in try AuditLog(db).latestCheckpoint() }
        }
        guard let checkpoint = latest else { throw CommandFailure.input("the log is empty; there is nothing to prove") }
        struct Output: Encodable {
            var tree_size: UInt64
            var leaf_index: UInt64?
            var leaf_hash: String?
            var entry: String?
            var inclusion_proof: [String]?
            var old_size: UInt64?
            var consistency_proof: [String]?
            var checkpoint: String
        }
        let output = try trail.database.read { db -> Output in
            let log = AuditLog(db)
            let tree = log.tree(size: checkpoint.size)
            var output = Output(tree_size: checkpoint.size, checkpoint: checkpoint.note)
            if let index, let entry = try log.entry(at: index) {
                output.leaf_index = index
                output.entry = entry.json
                output.leaf_hash = entry.leafHash.base64EncodedString()
                output.inclusion_proof = try tree.inclusionProof(index: index).map(\.base64)
            }
            if let consistencyFrom {
                output.old_size = consistencyFrom
                output.consistency_proof = try tree.consistencyProof(from: consistencyFrom).map(\.base64)
            }
            return output
        }
        try JSONOutput.print(output)
    }
}
