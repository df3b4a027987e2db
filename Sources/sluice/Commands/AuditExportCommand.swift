import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit export`: the entries exactly as hashed, one per line, so a tool with no
/// Sluice code can recompute the tree (leaf = SHA-256(0x00 ‖ line), index = `sequence`).
struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write audit entries as JSON Lines, exactly the bytes the Merkle tree hashes.",
        discussion: """
            Each line is one entry's canonical JSON; its "sequence" member is its leaf index. \
            The leaf hash is SHA-256 of the byte 0x00 followed by the line (without its newline).
            """)

    enum Format: String, ExpressibleByArgument { case jsonl }

    @OptionGroup var trailOptions: AuditTrailOptions
    @Option(help: "Output format (jsonl).") var format = Format.jsonl
    @Option(help: "Entries at or after this time (RFC 3339 or YYYY-MM-DD, UTC).") var since: AuditTimeArgument?
    @Option(name: .customLong("from-index"), help: "Start at this entry.") var fromIndex: UInt64 = 0
    @Option(name: .shortAndLong, help: "Write to this file (created only when the export completes) instead of standard output.")
    var output: String?

    func run() throws {
        let trail = try trailOptions.openTrail()
        try trailOptions.recordRead(trail, .auditExported, details: ["from_index": .count(Int(fromIndex)), "since": .flag(since != nil)])
        let sink = try RecordSink(path: output)
        var buffer: [UInt8] = []
        var count = 0
        do {
            try trail.database.read { db in
                var start = fromIndex
                if let since {
                    start = max(start, try AuditLog(db).entries(AuditFilter(since: since.date, limit: 1)).first?.sequence ?? UInt64.max)
                }
                guard start != UInt64.max else { return }
                try AuditLog(db).forEachEntry(from: start) { entry in
                    buffer.append(contentsOf: entry.json.utf8)
                    buffer.append(0x0A)
                    count += 1
                    if buffer.count >= 1 << 16 { try sink.write(&buffer) }
                }
            }
            try sink.write(&buffer)
            try sink.commit()
        } catch {
            sink.discard()
            throw CommandFailure.input("the export failed and wrote nothing: \(error)")
        }
        StandardError.print("exported \(counted(count, "entry", "entries"))")
    }
}
