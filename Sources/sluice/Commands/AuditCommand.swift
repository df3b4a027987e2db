import ArgumentParser
import Foundation
import SluiceAudit

/// `sluice audit …`: the security officer's commands over the tamper-evident trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read, verify, export and prove the audit trail.",
        discussion: """
            These work on the gateway's database in the data directory. Every read is \
            itself recorded in the trail, as the local user.
            """,
        subcommands: [
            AuditTailCommand.self, AuditQueryCommand.self, AuditVerifyCommand.self, AuditExportCommand.self,
            AuditProveCommand.self, AuditCheckpointCommand.self, AuditDigestNameCommand.self, AuditAcceptClockCommand.self,
        ]
    )
}

extension AuditAction: ExpressibleByArgument {}
extension AuditOutcome: ExpressibleByArgument {}

/// A time given on the command line: RFC 3339 (`2026-11-29T08:00:00Z`) or a date.
struct AuditTimeArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        guard let date = AuditTime.parse(argument) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
