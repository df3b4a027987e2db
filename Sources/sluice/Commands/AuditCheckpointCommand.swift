import ArgumentParser
import Foundation
import SluiceAPI
import SluiceAudit
import SluiceStore

/// `sluice audit checkpoint`: the latest signed checkpoint, for partners to keep.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (a C2SP signed note); --sign makes a new one first.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions
    @Flag(help: "Sign a checkpoint of the log as it is now, if it grew since the last one.") var sign = false
    @Flag(help: "Print size, time and note as JSON.") var json = false

    func run() async throws {
        let latest = try await AuditConnection.with(access.access, trailOptions) { connection -> StoredCheckpoint in
            switch connection {
            case .remote(let client):
                let answer = try await client.auditCheckpoint(sign: sign)
                return StoredCheckpoint(size: answer.treeSize, note: answer.note, signedAt: answer.signedAt)
            case .local(let options):
                let trail = try options.openTrail()
                try options.recordRead(trail, .auditCheckpointRead, details: ["sign": .flag(sign)])
                if sign { try trail.checkpoint() }
                guard let latest = try trail.store.read({ store in try store.audit.latestCheckpoint() }) else {
                    throw CommandFailure.input("no checkpoint has been signed yet (run with --sign)")
                }
                return latest
            }
        }
        if json {
            try JSONOutput.print(APIDocument.AuditCheckpoint(treeSize: latest.size, signedAt: latest.signedAt, note: latest.note))
        } else {
            print(latest.note, terminator: "")
        }
    }
}
