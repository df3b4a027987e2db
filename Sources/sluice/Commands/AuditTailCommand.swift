import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit tail`: the latest entries, and with `-f` every new one as it is written.
struct AuditTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Show the latest audit entries; -f keeps printing new ones.",
        discussion: "Through the API, -f asks every 5 seconds, and each of those reads is itself an audit entry.")

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions

    @Option(name: .short, help: "How many of the latest entries to show.")
    var n = 10

    @Flag(name: .short, help: "Keep running and print entries as they are written (stop with Ctrl-C).")
    var follow = false

    @Flag(help: "Print each entry's canonical JSON on its own line.")
    var json = false

    func run() async throws {
        try await AuditConnection.with(access.access, trailOptions) { connection in
            let latest = try await connection.entries(
                AuditFilter(limit: max(1, n), newestFirst: true), recording: ["latest": .count(n), "follow": .flag(follow)]
            ).entries
            var next = (latest.first?.sequence).map { $0 + 1 } ?? 0
            show(latest.reversed(), header: true)
            guard follow else { return }
            let pause: Duration
            if case .remote = connection { pause = .seconds(5) } else { pause = .milliseconds(500) }
            while true {
                try await Task.sleep(for: pause)
                // Later pages of one `tail -f` are not recorded again locally; the API records each.
                let new = try await connection.entries(AuditFilter(fromSequence: next, limit: 1000), recording: nil).entries
                guard let last = new.last else { continue }
                next = last.sequence + 1
                show(new, header: false)
            }
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
