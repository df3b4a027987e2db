import ArgumentParser
import Foundation
import SluiceAudit
import SluiceMasking
import SluiceStore

/// `sluice audit accept-clock`: records that the gateway's clock was set back after it had
/// run ahead. Until then, a clock more than five minutes behind the trail's latest entry
/// stops every write (entries are never dated before ones already written); the recorded
/// correction is the one entry allowed to step back. Run on the gateway's host.
struct AuditAcceptClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept-clock",
        abstract: "Record a correction of the gateway's clock, so the trail resumes from the corrected time.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @Option(help: "Why the clock was wrong and how it was fixed (recorded in the trail).") var reason: String

    func run() throws {
        let reason: String
        do { reason = try AdministrationReason.validated(self.reason) } catch { throw CommandFailure.input("--reason: \(error.message)") }
        let trail = try trailOptions.openTrail()
        let now = Date()
        guard let latest = try trail.latestEntryTime(), latest > now else {
            print("nothing to correct: the clock is not behind the audit trail's latest entry")
            return
        }
        let entry = try trail.recordClockCorrection(
            AuditEvent(
                actor: AuditTrailOptions.localActor, action: .clockCorrected, outcome: .success, reason: reason,
                details: [
                    "latest_entry_time": .names([AuditTime.format(latest)]), "seconds_back": .count(Int(latest.timeIntervalSince(now).rounded())),
                ]))
        print(
            "recorded as entry \(entry.sequence): the trail goes on from \(entry.time), \(Int(latest.timeIntervalSince(now).rounded())) s before its latest entry"
        )
    }
}
