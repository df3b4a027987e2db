import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One connection to the store's database, used by one thread at a time: statements
/// written with `?` placeholders (as the SQLite store writes them; `?1`, `?2` name a value
/// by its position), their values bound, never spliced into the text.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// A value bound to a placeholder.
    enum Value {
        case text(String?)
        case integer(Int64?)
        case bytes(Data?)
        case boolean(Bool)
    }

    /// The longest wait for one statement's answer (the server's statement_timeout is 60 s).
    static let patience = TimeAmount.seconds(75)

    /// The rows a statement returns.
    func rows(_ sql: String, _ values: [Value] = []) throws -> [PostgresRandomAccessRow] {
        try run(sql, values).rows.map { $0.makeRandomAccess() }
    }

    /// The first row, if there is one.
    func row(_ sql: String, _ values: [Value] = []) throws -> PostgresRandomAccessRow? {
        try rows(sql, values).first
    }

    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [Value] = []) throws -> Int {
        try run(sql, values).metadata.rows ?? 0
    }

    private func run(_ sql: String, _ values: [Value]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .bytes(let bytes): try binds.append(bytes)
            case .boolean(let flag): binds.append(flag)
            }
        }
        // The server bounds its side (statement_timeout); this bounds ours, when the server
        // is gone without a word: the connection is closed, the wait ends, the pool drops it.
        let answer = connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger)
        let connection = self.connection
        let deadline = connection.eventLoop.scheduleTask(in: Self.patience) { let _: EventLoopFuture<Void> = connection.close() }
        defer { deadline.cancel() }
        do {
            return try answer.wait()
        } catch {
            throw Self.translate(error)
        }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2`, …; `?N` as `$N`. Statements here hold
    /// no `?` in a literal.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var next = 0
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            guard character == "?" else {
                result.append(character)
                continue
            }
            if let digit = pending, digit.isASCII, digit.isNumber {
                result.append("$")
                while let digit = pending, digit.isASCII, digit.isNumber {
                    result.append(digit)
                    pending = characters.next()
                }
            } else {
                next += 1
                result += "$\(next)"
            }
        }
        return result
    }

    /// The store's errors for what the driver or the server reported: a connection that
    /// cannot be made (`connecting`: refused, timed out, its login refused) or was lost is
    /// ``StorageCondition/unreachable`` (the gateway answers 503 and tries again on the next
    /// request), the append-only rules' refusals are ``StoreError/refused(_:)``. Only the
    /// server's primary message is kept: its detail can quote a row's values.
    static func translate(_ error: any Error, connecting location: PostgresLocation? = nil) -> StoreError {
        if let error = error as? StoreError { return error }
        let reason: String
        var lost = false
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = info[.message] ?? "server error \(state)"
                switch state {
                case _ where location != nil: break
                case "SLU01", "42501": return .refused(message)
                case "53100": return .unavailable(.full, reason: message)
                case "25006": return .unavailable(.readOnly, reason: message)
                case "57P01", "57P02", "57P03", "53300", "55P03", "57014", "25P03": lost = true
                case _ where state.hasPrefix("08"): lost = true
                default: return .failed(message)
                }
                reason = message
            } else {
                switch error.code {
                case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed: lost = true
                default: break
                }
                reason =
                    error.code == .sslUnsupported
                    ? "the server does not offer TLS" : "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
            }
        } else {
            reason = String(describing: error)
        }
        if let location { return .unavailable(.unreachable, reason: "cannot connect to \(location): \(reason)") }
        return lost ? .unavailable(.unreachable, reason: "the connection to the database was lost (\(reason))") : .failed(reason)
    }
}

extension PostgresRandomAccessRow {
    func text(_ index: Int) throws -> String { try self[index].decode(String.self) }
    func optionalText(_ index: Int) throws -> String? { try self[index].decode(String?.self) }
    func integer(_ index: Int) throws -> Int64 { try self[index].decode(Int64.self) }
    func optionalInteger(_ index: Int) throws -> Int64? { try self[index].decode(Int64?.self) }
    func int(_ index: Int) throws -> Int { Int(try integer(index)) }
    func optionalInt(_ index: Int) throws -> Int? { try optionalInteger(index).map { Int($0) } }
    func bytes(_ index: Int) throws -> Data { try self[index].decode(Data?.self) ?? Data() }
}
