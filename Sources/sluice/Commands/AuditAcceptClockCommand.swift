import ArgumentParser
import Foundation
import SluiceAudit
import SluiceMasking
import SluiceStore

/// `sluice audit accept-clock`: records that the gateway's clock was set back after it had
/// run ahead. Until then, a clock more than five minutes behind the trail's latest entry
/// stops every write (entries are never dated before ones already written); the recorded
/// correction is the one entry allowed to step back. With `--forward`, records instead
/// that a step forward the running gateway found (`clock-ahead`) is right. Run on the
/// gateway's host.
struct AuditAcceptClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept-clock",
        abstract: "Record a correction of the gateway's clock, so the trail resumes from the corrected time.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @Option(help: "Why the clock was wrong and how it was fixed (recorded in the trail).") var reason: String
    @Flag(help: "Confirm that the clock, which stepped forward while the gateway ran (clock-ahead), is right now.")
    var forward = false

    func run() throws {
        let reason: String
        do { reason = try AdministrationReason.validated(self.reason) } catch { throw CommandFailure.input("--reason: \(error.message)") }
        let trail = try trailOptions.openTrail()
        let now = Date()
        if forward {
            let entry = try trail.record(
                AuditEvent(
                    actor: AuditTrailOptions.localActor, action: .clockCorrected, outcome: .success, reason: reason,
                    details: ["direction": .names(["forward"])]))
            print("recorded as entry \(entry.sequence): the clock's time \(entry.time) is confirmed; the gateway resumes at its next storage check")
            return
        }
        guard let latest = try trail.latestEntryTime(), latest > now else {
            print(
                "nothing to correct: the clock is not behind the audit trail's latest entry (a gateway refusing with clock-ahead: confirm with --forward)"
            )
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
