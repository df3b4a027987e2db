import Foundation
import PostgresNIO

/// A PostgreSQL store read for a copy (``StoreRowSource``), inside the repeatable-read
/// transaction its owner opened, so every page is of the same moment; and written by one
/// (``StoreRowSink``). Registry rows are ordered by their `seq`; a package's envelope is
/// its bytes and whether they are compact text.
struct PostgresRows: StoreRowSource, StoreRowSink {
    let session: PostgresSession

    init(_ session: PostgresSession) {
        self.session = session
    }

    private static func key(of table: StoreCopy.Table) -> String {
        switch table.name {
        case StoreCopy.bundles.name: "first"
        case StoreCopy.checkpoints.name: "tree_size"
        default: "seq"
        }
    }

    private static func selected(_ table: StoreCopy.Table) -> String {
        table.columns.map { $0 == "envelope" ? "envelope, envelope_compact" : $0 }.joined(separator: ", ")
    }

    func count(of table: StoreCopy.Table) throws -> Int {
        try session.row("SELECT COUNT(*) FROM \(table.name)")?.int(0) ?? 0
    }

    func rows(of table: StoreCopy.Table, after: Int64, limit: Int) throws -> [(key: Int64, cells: [StoreCopy.Cell])] {
        let key = Self.key(of: table)
        return try session.rows(
            "SELECT \(key), \(Self.selected(table)) FROM \(table.name) WHERE \(key) > ? ORDER BY \(key) LIMIT ?",
            [.integer(after), .integer(Int64(limit))]
        ).map { row in (try row.integer(0), try Self.cells(row, from: 1, of: table)) }
    }

    func subtrees(from start: Int64, below end: Int64) throws -> [[StoreCopy.Cell]] {
        try session.rows(
            "SELECT last_leaf, level, hash FROM audit_subtrees WHERE last_leaf >= ? AND last_leaf < ? ORDER BY last_leaf, level",
            [.integer(start), .integer(end)]
        ).map { try Self.cells($0, from: 0, of: StoreCopy.subtrees) }
    }

    private static func cells(_ row: PostgresRandomAccessRow, from offset: Int, of table: StoreCopy.Table) throws -> [StoreCopy.Cell] {
        var cells: [StoreCopy.Cell] = []
        var index = offset
        for column in table.columns {
            let cell = row[index]
            index += 1
            if column == "envelope" {
                let compact = try row[index].decode(Bool.self)
                index += 1
                let bytes = try cell.decode(Data.self)
                cells.append(compact ? .text(String(decoding: bytes, as: UTF8.self)) : .bytes(bytes))
                continue
            }
            guard cell.bytes != nil else {
                cells.append(.null)
                continue
            }
            switch cell.dataType {
            case .int2, .int4, .int8: cells.append(.integer(try cell.decode(Int64.self)))
            case .bytea: cells.append(.bytes(try cell.decode(Data.self)))
            default: cells.append(.text(try cell.decode(String.self)))
            }
        }
        return cells
    }

    func insert(_ cells: [StoreCopy.Cell], into table: StoreCopy.Table) throws {
        var columns = table.columns
        var values: [PostgresSession.Value] = cells.map {
            switch $0 {
            case .null: .text(nil)
            case .integer(let number): .integer(number)
            case .text(let text): .text(text)
            case .bytes(let bytes): .bytes(bytes)
            }
        }
        if let envelope = columns.firstIndex(of: "envelope") {
            // Compact text (an SQLite store's older rows) is kept as its bytes, marked.
            let compact: Bool
            if case .text(let text) = cells[envelope] {
                values[envelope] = .bytes(Data(text.utf8))
                compact = true
            } else {
                compact = false
            }
            columns.append("envelope_compact")
            values.append(.boolean(compact))
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try session.execute("INSERT INTO \(table.name)(\(columns.joined(separator: ", "))) VALUES (\(placeholders))", values)
    }

    /// The sequences of tables whose `seq` was copied continue after the copied rows.
    func finish() throws {
        for table in StoreCopy.rowTables where table.carriesSequence {
            try session.execute(
                "SELECT setval(pg_get_serial_sequence('\(table.name)', 'seq'), COALESCE((SELECT MAX(seq) FROM \(table.name)), 0) + 1, false)")
        }
    }
}
