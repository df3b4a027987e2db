import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit tail`: the latest entries, and with `-f` every new one as it is written.
struct AuditTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Show the latest audit entries; -f keeps printing new ones.")

    @OptionGroup var trailOptions: AuditTrailOptions

    @Option(name: .short, help: "How many of the latest entries to show.")
    var n = 10

    @Flag(name: .short, help: "Keep running and print entries as they are written (stop with Ctrl-C).")
    var follow = false

    @Flag(help: "Print each entry's canonical JSON on its own line.")
    var json = false

    func run() throws {
        let trail = try trailOptions.openTrail()
        try trailOptions.recordRead(trail, .auditEntriesRead, details: ["latest": .count(n), "follow": .flag(follow)])
        let latest = try trail.database.read { db in try AuditLog(db).entries(AuditFilter(limit: max(0, n), newestFirst: true)) }
        var next = (latest.first?.sequence).map { $0 + 1 } ?? 0
        show(latest.reversed(), header: true)
        guard follow else { return }
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let new = try trail.database.read { db in try AuditLog(db).entries(AuditFilter(fromSequence: next, limit: 1000)) }
            guard let last = new.last else { continue }
            next = last.sequence + 1
            show(new, header: false)
        }
    }

    private func show(_ entries: some Sequence<StoredAuditEntry>, header: Bool) {
        if json {
            for entry in entries { AuditEntryTable.printJSONLine(entry) }
        } else {
            var table = AuditEntryTable()
            for entry in entries { table.append(entry) }
            guard table.count > 0 else { return }
            let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
            for line in header ? lines[...] : lines.dropFirst() { print(line) }
        }
        fflush(nil)
    }
}
