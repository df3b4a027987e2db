import ArgumentParser
import Foundation
import SluiceAudit
import SluiceStore

/// `sluice store`: the gateway's state as a whole, wherever it is kept.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move the gateway's state between stores, or let a role use one.",
        subcommands: [StoreMigrateCommand.self, StoreGrantCommand.self])
}

/// `sluice store grant --store postgres://owner@… --role NAME`: the gateways' own role on a
/// PostgreSQL store, without ownership of its tables.
struct StoreGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Let a PostgreSQL role run gateways on the store without owning it.",
        discussion: """
            Run as the role that owns the schema (the one `sluice init` created it with). The role \
            named may then read every table and add rows, change and remove only packages, data \
            requests and rate buckets; not owning the tables, it cannot take back what the audit \
            and registry tables refuse, nor drop or disable their triggers. Point the gateways' \
            store.postgres at that role.
            """)

    @Option(help: "The store, as its owner: postgres://owner@host:port/database?sslmode=….") var store: String
    @Option(help: "The role the gateways connect as.") var role: String
    @Option(name: .customLong("password-file"), help: "The owner's password (its first line).") var passwordFile: String?

    func run() throws {
        guard case .postgres(let location) = try StoreMigrateCommand.location(store, passwordFile: passwordFile) else {
            throw CommandFailure.input("--store names a PostgreSQL database (postgres://…)")
        }
        do {
            try PostgresStore.grantGatewayAccess(at: location, to: role)
        } catch let error as StoreError {
            throw CommandFailure.input(error.description)
        }
        print("\(role) may now run gateways on \(location): it reads, adds rows, and changes only packages, data requests and rate buckets")
    }
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
