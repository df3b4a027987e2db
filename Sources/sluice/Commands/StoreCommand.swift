import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice store`: the gateway's state as a whole, wherever it is kept.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move the gateway's state between stores.", subcommands: [StoreMigrateCommand.self])
}

/// `sluice store migrate --from sqlite:PATH --to postgres://…`: every table of a stopped
/// gateway's store copied into a new or empty one, then both read back and compared.
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Copy a gateway's whole state into a new store.",
        discussion: """
            Stop the gateways on the source first: what they write during the copy is not moved. \
            The target is an SQLite file not there yet or an empty PostgreSQL database; the copy is \
            one transaction, so a failed one leaves the target as it was. Afterwards both stores are \
            read back: the same rows in every table, the same audit tree and root, the same checkpoints.
            """)

    @Option(help: "The store to copy: sqlite:PATH or postgres://user@host:port/database?sslmode=….") var from: String
    @Option(help: "The new store: sqlite:PATH or postgres://user@host:port/database?sslmode=….") var to: String
    @Option(name: .customLong("password-file"), help: "The PostgreSQL password (its first line), for whichever side is PostgreSQL.")
    var passwordFile: String?
    @Flag(help: "Print what was moved as JSON.") var json = false

    func run() throws {
        let source = try Self.location(from, passwordFile: passwordFile)
        let target = try Self.location(to, passwordFile: passwordFile)
        guard source.exists else { throw CommandFailure.input("\(source) holds no gateway store") }
        let outcome: StoreMigration.Outcome
        do {
            var reported = -1
            outcome = try StoreMigration.migrate(from: source, to: target) { done, total in
                let percent = total == 0 ? 100 : done * 100 / total
                if percent / 10 != reported / 10, !json {
                    reported = percent
                    FileHandle.standardError.write(Data("copied \(done) of \(total) rows\n".utf8))
                }
            }
        } catch let error as StoreError {
            throw CommandFailure.input(error.description)
        }
        let root = outcome.root?.base64 ?? ""
        if json {
            try JSONOutput.print(
                Moved(
                    from: source.description, to: target.description, auditEntries: outcome.auditEntries, root: root,
                    checkpoints: outcome.checkpoints, rows: outcome.rows))
            return
        }
        print("moved \(source) to \(target)")
        print("audit trail: \(outcome.auditEntries) entries, root \(root), \(outcome.checkpoints) checkpoints: the same in both")
        var table = TextTable("TABLE", "ROWS")
        for (name, count) in outcome.rows.sorted(by: { $0.key < $1.key }) { table.append(name, String(count)) }
        print(table.render())
    }

    private struct Moved: Encodable {
        var from: String
        var to: String
        var auditEntries: UInt64
        var root: String
        var checkpoints: Int
        var rows: [String: Int]

        enum CodingKeys: String, CodingKey {
            case from, to, root, checkpoints, rows
            case auditEntries = "audit_entries"
        }
    }

    static func location(_ text: String, passwordFile: String?) throws -> StoreLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw CommandFailure.input("sqlite: needs a path (sqlite:.sluice/sluice.sqlite)") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do { return .postgres(try PostgresLocation(url: text, passwordFile: passwordFile)) } catch {
                throw CommandFailure.input(error.description)
            }
        }
        throw CommandFailure.input("a store is sqlite:PATH or postgres://user@host:port/database")
    }
}
