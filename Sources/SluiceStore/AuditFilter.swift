import Foundation
import GRDB
import SluiceAudit

/// Which entries a security officer asks for. Every condition given must hold.
public struct AuditFilter: Sendable, Hashable {
    public var actor: String?
    public var action: AuditAction?
    public var agreement: String?
    public var package: String?
    public var outcome: AuditOutcome?
    /// Entries at or after this time.
    public var since: Date?
    /// Entries strictly before this time.
    public var until: Date?
    /// Entries with a sequence at or above this one (cursor pagination, `tail -f`).
    public var fromSequence: UInt64?
    public var limit: Int?
    /// Newest first: the last `limit` entries, for `tail`.
    public var newestFirst: Bool

    public init(
        actor: String? = nil, action: AuditAction? = nil, agreement: String? = nil, package: String? = nil,
        outcome: AuditOutcome? = nil, since: Date? = nil, until: Date? = nil, fromSequence: UInt64? = nil,
        limit: Int? = nil, newestFirst: Bool = false
    ) {
        self.actor = actor
        self.action = action
        self.agreement = agreement
        self.package = package
        self.outcome = outcome
        self.since = since
        self.until = until
        self.fromSequence = fromSequence
        self.limit = limit
        self.newestFirst = newestFirst
    }

    func query() -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            conditions.append(condition)
            arguments.append(value)
        }
        if let actor { add("actor = ?", actor) }
        if let action { add("action = ?", action.rawValue) }
        if let agreement { add("agreement = ?", agreement) }
        if let package { add("package = ?", package) }
        if let outcome { add("outcome = ?", outcome.rawValue) }
        if let since { add("time >= ?", AuditTime.format(since)) }
        if let until { add("time < ?", AuditTime.format(until)) }
        if let fromSequence { add("sequence >= ?", Int64(fromSequence)) }
        var sql = "SELECT sequence, entry, leaf_hash FROM audit_entries"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += newestFirst ? " ORDER BY sequence DESC" : " ORDER BY sequence"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return (sql, StatementArguments(arguments))
    }
}
