import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice audit export`: the entries exactly as hashed, one per line, so a tool with no
/// Sluice code can recompute the tree (leaf = SHA-256(0x00 ‖ line), index = `sequence`).
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write audit entries as JSON Lines, exactly the bytes the Merkle tree hashes.",
        discussion: """
            Each line is one entry's canonical JSON; its "sequence" member is its leaf index. \
            The leaf hash is SHA-256 of the byte 0x00 followed by the line (without its newline).
            """)

    enum Format: String, ExpressibleByArgument { case jsonl }

    @OptionGroup var trailOptions: AuditTrailOptions
    @OptionGroup var access: GatewayAccessOptions
    @Option(help: "Output format (jsonl).") var format = Format.jsonl
    @Option(help: "Entries at or after this time (RFC 3339 or YYYY-MM-DD, UTC).") var since: AuditTimeArgument?
    @Option(name: .customLong("from-index"), help: "Start at this entry.") var fromIndex: UInt64 = 0
    @Option(name: .shortAndLong, help: "Write to this file (created only when the export completes) instead of standard output.")
    var output: String?

    func run() async throws {
        let count = try await AuditConnection.with(access.access, trailOptions) { connection -> Int in
            let sink = try RecordSink(path: output)
            var buffer: [UInt8] = []
            var count = 0
            func add(_ line: some Collection<UInt8>) throws {
                buffer.append(contentsOf: line)
                buffer.append(0x0A)
                count += 1
                if buffer.count >= 1 << 16 { try sink.write(&buffer) }
            }
            do {
                switch connection {
                case .remote(let client):
                    try await client.auditExport(fromIndex: fromIndex, since: since.map { AuditTime.format($0.date) }) { try add($0) }
                case .local(let options):
                    let trail = try options.openTrail()
                    try options.recordRead(trail, .auditExported, details: ["from_index": .count(Int(fromIndex)), "since": .flag(since != nil)])
                    try trail.store.read { store in
                        var start = fromIndex
                        if let since {
                            start = max(start, try store.audit.entries(AuditFilter(since: since.date, limit: 1)).first?.sequence ?? UInt64.max)
                        }
                        guard start != UInt64.max else { return }
                        try store.audit.forEachEntry(from: start) { entry in try add(entry.json.utf8) }
                    }
                }
                try sink.write(&buffer)
                try sink.commit()
            } catch let failure as CommandFailure {
                sink.discard()
                throw failure
            } catch {
                sink.discard()
                throw CommandFailure.input("the export failed and wrote nothing: \(error)")
            }
            return count
        }
        StandardError.print("exported \(counted(count, "entry", "entries"))")
    }
}
