import CSQLiteGuard
import Foundation
import GRDB

/// Steps a prepared statement through SQLite's own API and hands out column bytes without
/// copying them: for reading the whole audit trail in `verify`, where GRDB's row values
/// would allocate for every column of every entry. Column buffers are valid until the
/// next `step`.
struct RawRowCursor {
    private let statement: Statement
    private let raw: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        raw = statement.sqliteStatement
    }

    /// Over a statement prepared once by its owner, for a point read repeated many times.
    init(_ statement: Statement, integers: Int64...) {
        self.statement = statement
        raw = statement.sqliteStatement
        sqlite3_reset(raw)
        for (offset, value) in integers.enumerated() { sqlite3_bind_int64(raw, Int32(offset + 1), value) }
    }

    /// Ends the query early, releasing what it holds (for a cached statement kept open).
    func reset() {
        sqlite3_reset(raw)
    }

    /// Moves to the next row; false after the last.
    mutating func step() throws -> Bool {
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw StoreError.failed(String(cString: sqlite3_errstr(code)))
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    /// The column's bytes (text or blob), empty for NULL.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(raw, column))
        // sqlite3_column_blob after sqlite3_column_bytes: the documented safe order.
        guard count > 0, let start = sqlite3_column_blob(raw, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: count)
    }
}
