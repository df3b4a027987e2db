import CSQLiteGuard
import Foundation
import GRDB
import SluiceAudit

/// The gateway's one SQLite database, the default ``GatewayStore``: WAL,
/// `synchronous = FULL` so a commit is on disk before anyone is told it happened, migrated
/// to the current schema when opened.
///
/// Every connection it opens runs in SQLite's defensive mode with an authorizer that
/// refuses to compile statements changing the audit tables other than by INSERT, on top
/// of the triggers in the schema. The authorizer replaces GRDB's own, which only feeds
/// GRDB's change observation, suspension and schema cache; this store uses none of those
/// after migrating, and migrations run on a separate connection before the guard is set.
public final class GatewayDatabase: GatewayStore {
    public static let fileName = "sluice.sqlite"

    public let path: String
    let pool: DatabasePool
    private let checkpointer: WALCheckpointer
    /// The file the pool opened: a path that names another file (or none) means the data
    /// directory was removed or replaced, and writes would land in a file nobody keeps.
    private let opened: FileIdentity

    public static func path(inDataDirectory directory: String) -> String { directory + "/" + fileName }

    /// Opens the database at `path`, creating it when `create` is true.
    public convenience init(path: String, create: Bool = false) throws(StoreError) {
        try self.init(path: path, create: create, checkpointer: WALCheckpointer(path: path))
    }

    /// With a given checkpointer (tests give one with small thresholds).
    init(path: String, create: Bool, checkpointer: WALCheckpointer) throws(StoreError) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { throw .missing(path: path) }
        }
        self.checkpointer = checkpointer
        do {
            try Self.migrate(path: path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Temporary tables and any statement journal stay in memory, never in
                // files under /tmp.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // The pages appends touch (the ends of the bundle and subtree tables)
                // stay cached, instead of SQLite's 2 MB default.
                try db.execute(sql: "PRAGMA cache_size = -32768")
                // The write-ahead log is copied back every ~4 MB, by a thread of its own
                // rather than inside whichever commit crosses the threshold: a commit that
                // also copied the log would hold every request waiting on it.
                if !db.configuration.readonly { checkpointer.observe(db.sqliteConnection) }
                let status = sluice_sqlite_guard(db.sqliteConnection, StoreSchema.appendOnlyPrefix)
                guard status == SQLITE_OK else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: status), message: "cannot guard the audit tables")
                }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            guard let identity = FileIdentity(path: path) else { throw StoreError.missing(path: path) }
            opened = identity
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            // A directory the gateway cannot write in is named as such: SQLite only says
            // it cannot open the file.
            let directory = Self.directory(of: path)
            if access(directory, W_OK) != 0 {
                throw .unavailable(.readOnly, reason: "cannot write in \(directory), where the database, its log and its lock live")
            }
            throw .cannotOpen(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    deinit {
        checkpointer.stop()
    }

    private static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    /// A file as the system knows it, by device and inode.
    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// Checkpoints the background checkpointer has run, and ones commits ran inline.
    var backgroundCheckpoints: Int { checkpointer.checkpointsRun.load(ordering: .relaxed) }
    var inlineCheckpoints: Int { checkpointer.inlineCheckpoints.load(ordering: .relaxed) }

    private static func migrate(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let migrator = StoreSchema.migrator
        if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) { throw StoreError.newerSchema(path: path) }
        try migrator.migrate(queue)
        try queue.close()
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE … COMMIT); if it throws,
    /// nothing it did remains. A commit into a file that is no longer the database's
    /// (its directory was removed) throws too: it was not kept.
    func writeDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        let written = try Self.translatingErrors { try pool.write(body) }
        guard FileIdentity(path: path) == opened else {
            throw StoreError.unavailable(.missing, reason: "the database file is no longer at its path")
        }
        return written
    }

    /// What keeps the storage from taking writes now, if anything: the database file gone
    /// from its path, the database, its log or its file system read-only, or less than
    /// `minimumFreeBytes` free for the gateway (space kept back so that refusals and the
    /// audit trail still fit).
    public func storageCondition(minimumFreeBytes: UInt64) -> StorageCondition? {
        guard FileIdentity(path: path) == opened else { return .missing }
        // The database or its log made read-only (mode, or the immutable attribute, which
        // also fails writes through descriptors already open): refused before SQLite fails.
        if access(path, W_OK) != 0 || (FileManager.default.fileExists(atPath: path + "-wal") && access(path + "-wal", W_OK) != 0) {
            return .readOnly
        }
        var system = statvfs()
        guard statvfs(Self.directory(of: path), &system) == 0 else { return .missing }
        if system.f_flag & UInt(ST_RDONLY) != 0 { return .readOnly }
        let free = UInt64(system.f_bavail) * UInt64(system.f_frsize)
        return free < minimumFreeBytes ? .full : nil
    }

    public func read<T>(_ body: (any StoreReader) throws -> T) throws -> T {
        try Self.translatingErrors { try pool.read { db in try body(SQLiteStoreReader(db)) } }
    }

    public func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        try writeDatabase { db in try body(SQLiteStoreReader(db)) }
    }

    /// The same on the database itself, for the store's own types and its tests.
    func readDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.translatingErrors { try pool.read(body) }
    }

    /// Copies a consistent snapshot of the whole store into a new database file at
    /// `destination` with SQLite's online backup, inside one read transaction: the gateway
    /// goes on writing meanwhile, and the copy is the store as it was when it began (never
    /// a file copy of a live WAL database). `progress` hears pages copied and the total.
    public func snapshot(to destination: String, progress: (_ done: Int, _ total: Int) -> Void) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError.unavailable(.failing, reason: "\(destination) exists already")
        }
        try Self.translatingErrors {
            let copy = try DatabaseQueue(path: destination)
            try withoutActuallyEscaping(progress) { progress in
                try pool.backup(to: copy, pagesPerStep: 4096) { step in
                    progress(step.totalPageCount - step.remainingPageCount, step.totalPageCount)
                }
            }
            try copy.close()
        }
    }

    public func verifyAudit(
        _ verifier: AuditVerifier, keptCheckpoint: Checkpoint?, progress: (_ done: UInt64, _ total: UInt64) -> Void
    ) throws -> AuditVerification {
        try readDatabase { db in try SQLiteAuditCheck(verifier: verifier).run(db, keptCheckpoint: keptCheckpoint, progress: progress) }
    }

    /// What SQLite's `PRAGMA integrity_check` finds wrong in the file: nothing when it is sound.
    public func integrityProblems() throws -> [String] {
        try Self.translatingErrors { try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } }.filter { $0 != "ok" }
    }

    /// Moves everything in the write-ahead log into the database file and empties the
    /// log (for backups and for measuring the file). Waits out a checkpoint the background
    /// checkpointer is running: SQLite answers "busy" at once rather than waiting for it.
    public func checkpointWriteAheadLog() throws {
        try Self.translatingErrors {
            var attempts = 0
            while true {
                do {
                    try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                    return
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 200 {
                    attempts += 1
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
        }
    }

    /// Whether this database's connections are guarded (defensive mode on).
    public var isGuarded: Bool {
        (try? pool.read { db in sluice_sqlite_is_defensive(db.sqliteConnection) == 1 }) ?? false
    }

    static func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            // Refused by the authorizer, or by one of the schema's RAISE triggers.
            if error.resultCode == .SQLITE_AUTH || error.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER {
                throw StoreError.refused(message)
            }
            if let condition = StorageCondition(resultCode: error.resultCode.primaryResultCode.rawValue) {
                throw StoreError.unavailable(condition, reason: message)
            }
            throw StoreError.failed(message)
        }
    }
}
