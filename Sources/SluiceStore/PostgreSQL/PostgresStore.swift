import Foundation
import NIOCore
import PostgresNIO
import SluiceAudit

/// A ``GatewayStore`` on a PostgreSQL database that any number of gateways share: what one
/// of them commits, every other reads on its next request. Reads run on a repeatable-read
/// snapshot; writes take one lock for their whole transaction (``PostgresSchema/writeLock``),
/// so the audit log's tail has one writer at a time and its sequence has no gaps, whichever
/// gateway wrote. A commit has returned only once the server has it durably
/// (`synchronous_commit` as the server is set, on by default).
///
/// When the database cannot be reached, every call throws
/// ``StoreError/unavailable(_:reason:)`` with ``StorageCondition/unreachable`` (the gateway
/// answers 503) and the next call tries a new connection.
public final class PostgresStore: GatewayStore, SharedRateLimits {
    public let location: PostgresLocation
    let pool: PostgresConnectionPool

    /// Opens the store, creating or bringing its schema up to date; without `create`, a
    /// database with no Sluice schema is ``StoreError/missing(path:)``.
    public init(location: PostgresLocation, create: Bool = false) throws(StoreError) {
        self.location = location
        pool = PostgresConnectionPool(location: location)
        do {
            try pool.withConnection { session in try Self.migrate(session, create: create, location: location) }
        } catch {
            pool.close()
            throw PostgresSession.translate(error)
        }
    }

    deinit {
        pool.close()
    }

    /// Whether the database holds a Sluice schema, without creating one.
    public static func exists(at location: PostgresLocation) -> Bool {
        let pool = PostgresConnectionPool(location: location, limit: 1)
        defer { pool.close() }
        return (try? pool.withConnection { session in try schemaVersion(session) != nil }) ?? false
    }

    private static func schemaVersion(_ session: PostgresSession) throws -> Int? {
        guard try session.row("SELECT to_regclass('sluice_schema') IS NOT NULL")?[0].decode(Bool.self) == true else { return nil }
        return try session.row("SELECT MAX(version) FROM sluice_schema")?.optionalInt(0)
    }

    private static func migrate(_ session: PostgresSession, create: Bool, location: PostgresLocation) throws {
        try session.execute("SELECT pg_advisory_lock(?)", [.integer(PostgresSchema.migrationLock)])
        defer { _ = try? session.execute("SELECT pg_advisory_unlock(?)", [.integer(PostgresSchema.migrationLock)]) }
        let version = try schemaVersion(session)
        if let version, version > PostgresSchema.version { throw StoreError.newerSchema(path: location.description) }
        if version == PostgresSchema.version { return }
        guard version != nil || create else { throw StoreError.missing(path: location.description) }
        try session.execute("BEGIN")
        do {
            try session.execute("CREATE TABLE IF NOT EXISTS sluice_schema (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            if version == nil { for statement in PostgresSchema.creation { try session.execute(statement) } }
            try session.execute("INSERT INTO sluice_schema(version) VALUES (?)", [.integer(Int64(PostgresSchema.version))])
            try session.execute("COMMIT")
        } catch {
            _ = try? session.execute("ROLLBACK")
            throw error
        }
    }

    public func read<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try transaction(begin: Self.consistentRead) { session in try body(PostgresStoreReader(session)) }
    }

    public func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", lock: true) { session in try body(PostgresStoreReader(session)) }
    }

    /// Runs `body` between `begin` and COMMIT on a connection of its own; if anything
    /// throws, the transaction is rolled back (or the connection dropped, which ends it).
    func transaction<T>(begin: String, lock: Bool = false, _ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { session in
            try session.execute(begin)
            do {
                if lock { try session.execute("SELECT pg_advisory_xact_lock(?)", [.integer(PostgresSchema.writeLock)]) }
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                // A connection that cannot roll back is in no state to be used again.
                if (try? session.execute("ROLLBACK")) == nil {
                    let closing: EventLoopFuture<Void> = session.connection.close()
                    try? closing.wait()
                }
                throw error
            }
        }
    }

    /// Lets `role` run gateways on the store at `location` (opened as the schema's owner)
    /// without owning it: it may read every table, add rows, change and remove only packages,
    /// data requests and rate buckets, and use the sequences. Not owning the tables, it can
    /// neither take back what was revoked nor drop or disable a trigger.
    public static func grantGatewayAccess(at location: PostgresLocation, to role: String) throws {
        guard role.utf8.count <= 63, let first = role.unicodeScalars.first, first == "_" || ("a"..."z").contains(first),
            role.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw StoreError.failed("a role name here is lower-case letters, digits and underscores, starting with a letter (at most 63)")
        }
        let store = try PostgresStore(location: location)
        let quoted = "\"\(role)\""
        let growing = (PostgresSchema.appendOnlyTables + PostgresSchema.onlyGrowingTables).joined(separator: ", ")
        try store.transaction(begin: "BEGIN") { session in
            for statement in [
                "GRANT USAGE ON SCHEMA public TO \(quoted)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(quoted)",
                "GRANT INSERT ON \(growing) TO \(quoted)",
                "GRANT INSERT, UPDATE, DELETE ON packages, data_requests, rate_buckets TO \(quoted)",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(quoted)",
                "GRANT EXECUTE ON FUNCTION sluice_take_token(TEXT, DOUBLE PRECISION) TO \(quoted)",
            ] {
                try session.execute(statement)
            }
        }
    }

    /// Takes a submission token from `bucket` in the database, so that an agency's rate
    /// holds across every gateway: nil when granted, else the seconds to wait.
    public func takeToken(bucket: String, perMinute: Int) throws -> TimeInterval? {
        let wait = try pool.withConnection { session in
            try session.row("SELECT sluice_take_token(?, ?::double precision)", [.text(bucket), .integer(Int64(perMinute))])?[0].decode(Double.self)
        }
        return wait.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Unreachable when no connection can be had, read-only on a standby; the database
    /// server keeps its own disk headroom, which the gateway cannot see from here.
    public func storageCondition(minimumFreeBytes: UInt64) -> StorageCondition? {
        do {
            let standby = try pool.withConnection { session in try session.row("SELECT pg_is_in_recovery()")?[0].decode(Bool.self) }
            return standby == true ? .readOnly : nil
        } catch StoreError.unavailable(let condition, _) {
            return condition
        } catch {
            return .unreachable
        }
    }

    /// PostgreSQL checks its own pages (with data checksums, when the cluster has them);
    /// the store adds the check that every append-only rule is still in place.
    public func integrityProblems() throws -> [String] {
        let expected = Set(
            (PostgresSchema.appendOnlyTables + PostgresSchema.onlyGrowingTables).flatMap { ["\($0)_no_change", "\($0)_no_truncate"] } + [
                "audit_bundles_next_only", "audit_subtrees_new_only", "audit_checkpoints_grow_only", "agreement_versions_next_only",
                "agreement_states_not_after_revoked",
            ])
        let enabled = try transaction(begin: "BEGIN READ ONLY") { session in
            Set(try session.rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'").map { try $0.text(0) })
        }
        return expected.subtracting(enabled).sorted().map { "the trigger \($0) is missing or disabled: the append-only rules are not enforced" }
    }

    public func snapshot(to destination: String, progress: (_ done: Int, _ total: Int) -> Void) throws {
        try readRows { rows in try StoreCopy.copy(from: rows, into: destination, progress: progress) }
    }

    /// One snapshot of the whole database, the same for every statement of the transaction.
    static let consistentRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    /// `body` with the database's rows, on one consistent read.
    func readRows(_ body: (any StoreRowSource) throws -> Void) throws {
        try transaction(begin: Self.consistentRead) { session in try body(PostgresRows(session)) }
    }

    /// Checked on a consistent copy of the store as an SQLite file, made in a temporary
    /// folder and removed afterwards: the same check, on the same rows, as for an SQLite store.
    public func verifyAudit(
        _ verifier: AuditVerifier, keptCheckpoint: Checkpoint?, progress: (_ done: UInt64, _ total: UInt64) -> Void
    ) throws -> AuditVerification {
        let folder = NSTemporaryDirectory() + "sluice-verify-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copy = folder + "/" + GatewayDatabase.fileName
        try snapshot(to: copy)
        return try GatewayDatabase(path: copy).verifyAudit(verifier, keptCheckpoint: keptCheckpoint, progress: progress)
    }
}
