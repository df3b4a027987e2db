import Foundation
import SluiceAudit

/// Moves a gateway's whole state from one store to another (`sluice store migrate`): every
/// table copied on one consistent read of the source into a target that is new (an SQLite
/// file not there yet) or empty (a PostgreSQL database without a gateway's rows), in one
/// transaction, so a failed move leaves the target as it was. Then both are read again:
/// the same rows in every table, the same audit tree and root, the same checkpoints.
public enum StoreMigration {
    /// What was moved, as read back from the target.
    public struct Outcome: Sendable {
        public var rows: [String: Int]
        public var auditEntries: UInt64
        public var root: MerkleHash?
        public var checkpoints: Int
    }

    public static func migrate(from source: StoreLocation, to target: StoreLocation, progress: (_ done: Int, _ total: Int) -> Void) throws -> Outcome
    {
        guard source != target else { throw StoreError.failed("the source and the target are the same store") }
        let from = try source.open()
        try withRows(of: from) { rows in
            switch target {
            case .sqlite(let path):
                try StoreCopy.copy(from: rows, into: path, progress: progress)
            case .postgres(let location):
                let store = try PostgresStore(location: location, create: true)
                try store.transaction(begin: "BEGIN", lock: true) { session in
                    let sink = PostgresRows(session)
                    for table in StoreCopy.tables where try sink.count(of: table) > 0 {
                        throw StoreError.failed("\(location) holds a gateway's data already (table \(table.name)); migrate into an empty database")
                    }
                    try StoreCopy.copy(from: rows, to: sink, progress: progress)
                }
            }
        }
        let to = try target.open()
        let (before, after) = (try outcome(of: from), try outcome(of: to))
        guard before.rows == after.rows, before.auditEntries == after.auditEntries, before.root == after.root,
            before.checkpoints == after.checkpoints
        else {
            throw StoreError.failed("the target does not read back as the source: \(describe(before)) against \(describe(after))")
        }
        return after
    }

    private static func outcome(of store: any GatewayStore) throws -> Outcome {
        var rows: [String: Int] = [:]
        try withRows(of: store) { source in
            for table in StoreCopy.tables { rows[table.name] = try source.count(of: table) }
        }
        return try store.read { reader in
            let size = try reader.audit.size()
            return Outcome(
                rows: rows, auditEntries: size, root: size == 0 ? nil : try reader.audit.tree(size: size).root(),
                checkpoints: try reader.audit.checkpoints().count)
        }
    }

    private static func describe(_ outcome: Outcome) -> String {
        "\(outcome.auditEntries) entries, \(outcome.checkpoints) checkpoints, "
            + outcome.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// `body` with the store's rows on one consistent read.
    private static func withRows(of store: any GatewayStore, _ body: (any StoreRowSource) throws -> Void) throws {
        switch store {
        case let database as GatewayDatabase: try database.readRows(body)
        case let postgres as PostgresStore: try postgres.readRows(body)
        default: throw StoreError.failed("this kind of store cannot be copied")
        }
    }
}
