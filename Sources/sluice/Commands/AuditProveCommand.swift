import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceStore

/// `sluice audit prove`: an inclusion proof for one entry, or a consistency proof from an
/// older size, against the latest signed checkpoint, as JSON anyone can check.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an RFC 9162 inclusion (or consistency) proof against the latest signed checkpoint, as JSON.",
        discussion: """
            If the entry is newer than the latest checkpoint, a new checkpoint is signed first. \
            Hashes are base64; the checkpoint is the signed note to verify them against.
            """)

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions
    @Option(help: "The entry (leaf index) to prove is in the log.") var index: UInt64?
    @Option(name: .customLong("consistency-from"), help: "Prove the log of this many entries is a prefix of the current one.")
    var consistencyFrom: UInt64?

    func validate() throws {
        guard (index == nil) != (consistencyFrom == nil) else {
            throw ValidationError("give either --index N or --consistency-from SIZE")
        }
    }

    func run() async throws {
        let proof = try await AuditConnection.with(access.access, trailOptions) { connection -> APIDocument.AuditProof in
            switch connection {
            case .remote(let client):
                let data = try await client.auditProof(index: index, consistencyFrom: consistencyFrom)
                guard let proof = try? JSONDecoder().decode(APIDocument.AuditProof.self, from: data) else {
                    throw CommandFailure.checkFailed("the gateway's proof is not readable")
                }
                return proof
            case .local(let options):
                let trail = try options.openTrail()
                try options.recordRead(
                    trail, .auditProofServed,
                    details: index.map { ["index": .count(Int(clamping: $0))] } ?? ["from_size": .count(Int(clamping: consistencyFrom ?? 0))])
                do { return try APIDocument.AuditProof.make(trail: trail, index: index, consistencyFrom: consistencyFrom) } catch let refusal
                    as APIDocument.AuditProof.Refusal
                {
                    throw CommandFailure.input(refusal.description)
                }
            }
        }
        try JSONOutput.print(proof)
    }
}
