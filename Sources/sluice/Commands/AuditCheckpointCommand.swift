import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit checkpoint`: the latest signed checkpoint, for partners to keep.
struct AuditCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (a C2SP signed note); --sign makes a new one first.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @Flag(help: "Sign a checkpoint of the log as it is now, if it grew since the last one.") var sign = false
    @Flag(help: "Print size, time and note as JSON.") var json = false

    func run() throws {
        let trail = try trailOptions.openTrail()
        try trailOptions.recordRead(trail, .auditCheckpointRead, details: ["sign": .flag(sign)])
        if sign { try trail.checkpoint() }
        guard let latest = try trail.database.read({ db in try AuditLog(db).latestCheckpoint() }) else {
            throw CommandFailure.input("no checkpoint has been signed yet (run with --sign)")
        }
        if json {
            struct Output: Encodable { var tree_size: UInt64; var signed_at: String; var note: String }
            try JSONOutput.print(Output(tree_size: latest.size, signed_at: latest.signedAt, note: latest.note))
        } else {
            print(latest.note, terminator: "")
        }
    }
}
