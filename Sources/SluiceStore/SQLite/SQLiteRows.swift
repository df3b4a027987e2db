import Foundation
import GRDB

/// An SQLite store read for a copy (``StoreRowSource``), inside one read transaction, and
/// written by one (``StoreRowSink``), inside one write transaction. Rows without a
/// sequence of their own are ordered by their rowid, the order they were added.
struct SQLiteRows: StoreRowSource, StoreRowSink {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    private static func key(of table: StoreCopy.Table) -> String {
        switch table.name {
        case StoreCopy.bundles.name: "first"
        case StoreCopy.checkpoints.name: "tree_size"
        default: table.carriesSequence ? "seq" : "rowid"
        }
    }

    func count(of table: StoreCopy.Table) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
    }

    func rows(of table: StoreCopy.Table, after: Int64, limit: Int) throws -> [(key: Int64, cells: [StoreCopy.Cell])] {
        let key = Self.key(of: table)
        return try Row.fetchAll(
            db, sql: "SELECT \(key), \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(key) > ? ORDER BY \(key) LIMIT ?",
            arguments: [after, limit]
        ).map { row in (row[0], Self.cells(row, from: 1)) }
    }

    func subtrees(from start: Int64, below end: Int64) throws -> [[StoreCopy.Cell]] {
        try Row.fetchAll(
            db, sql: "SELECT last_leaf, level, hash FROM audit_subtrees WHERE last_leaf >= ? AND last_leaf < ? ORDER BY last_leaf, level",
            arguments: [start, end]
        ).map { Self.cells($0, from: 0) }
    }

    private static func cells(_ row: Row, from offset: Int) -> [StoreCopy.Cell] {
        (offset..<row.count).map { index in
            switch (row[index] as DatabaseValue).storage {
            case .null: .null
            case .int64(let number): .integer(number)
            case .double(let number): .text(String(number))
            case .string(let text): .text(text)
            case .blob(let bytes): .bytes(bytes)
            }
        }
    }

    func insert(_ cells: [StoreCopy.Cell], into table: StoreCopy.Table) throws {
        let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        let values: [(any DatabaseValueConvertible)?] = cells.map {
            switch $0 {
            case .null: nil
            case .integer(let number): number
            case .text(let text): text
            case .bytes(let bytes): bytes
            }
        }
        try db.cachedStatement(sql: "INSERT INTO \(table.name)(\(table.columns.joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: StatementArguments(values))
    }

    func finish() throws {}
}

extension StoreCopy {
    /// Copies `source` into a new SQLite store at `destination` (which must not exist), in
    /// one transaction: the file holds the whole copy or, if anything failed, is removed.
    static func copy(from source: some StoreRowSource, into destination: String, progress: (Int, Int) -> Void) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError.unavailable(.failing, reason: "\(destination) exists already")
        }
        do {
            let database = try GatewayDatabase(path: destination, create: true)
            try database.writeDatabase { db in try copy(from: source, to: SQLiteRows(db), progress: progress) }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: destination + suffix) }
            throw error
        }
    }
}

extension GatewayDatabase {
    /// `body` with the database's rows, on one read transaction.
    func readRows(_ body: (any StoreRowSource) throws -> Void) throws {
        try readDatabase { db in try body(SQLiteRows(db)) }
    }
}
