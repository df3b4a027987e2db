import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit query`: entries matching every filter given, oldest first, a page at a time.
struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Find audit entries by actor, action, agreement, package, outcome, case number, reason and time.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions

    @Option(help: "Agency id (or local user) who acted.") var actor: String?
    @Option(help: "Action, e.g. submit.rejected (one of: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))).")
    var action: AuditAction?
    @Option(help: "Agreement id.") var agreement: String?
    @Option(help: "Package id.") var package: String?
    @Option(help: "Outcome: success, rejected, denied or failed.") var outcome: AuditOutcome?
    @Option(name: .customLong("case"), help: "Entries about a request's case number (exactly).") var caseNumber: String?
    @Option(help: "Entries whose reason is exactly this, e.g. invalid-records.") var reason: String?
    @Option(help: "Entries at or after this time (RFC 3339 or YYYY-MM-DD, UTC).") var since: AuditTimeArgument?
    @Option(help: "Entries before this time (RFC 3339 or YYYY-MM-DD, UTC).") var until: AuditTimeArgument?
    @Option(name: .customLong("from-index"), help: "Start at this entry (the next page's cursor).") var fromIndex: UInt64?
    @Option(help: "At most this many entries (through the API, at most 1000 a page).") var limit = 100
    @Flag(help: "Print each entry's canonical JSON on its own line.") var json = false

    func run() async throws {
        let filter = AuditFilter(
            actor: actor, action: action, agreement: agreement, package: package, outcome: outcome, since: since?.date,
            until: until?.date, fromSequence: fromIndex, limit: max(1, limit), caseNumber: caseNumber,
            reason: reason)
        var conditions: [String] = []
        if actor != nil { conditions.append("actor") }
        if action != nil { conditions.append("action") }
        if agreement != nil { conditions.append("agreement") }
        if package != nil { conditions.append("package") }
        if outcome != nil { conditions.append("outcome") }
        if caseNumber != nil { conditions.append("case_number") }
        if reason != nil { conditions.append("reason") }
        if since != nil || until != nil { conditions.append("time") }
        let (entries, more) = try await AuditConnection.with(access.access, trailOptions) { connection in
            try await connection.entries(filter, recording: ["filters": .names(conditions)])
        }
        if json {
            for entry in entries { AuditEntryTable.printJSONLine(entry) }
        } else {
            var table = AuditEntryTable()
            for entry in entries { table.append(entry) }
            if table.count > 0 { print(table.render()) }
        }
        var summary = entries.count == 1 ? "1 entry" : "\(entries.count) entries"
        if let more { summary += "; more from --from-index \(more)" }
        StandardError.print(summary)
    }
}
