/// Why the gateway's database could not be opened or written, in words that say what
/// to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// There is no database at the path (the gateway or `sluice init` creates it).
    case missing(path: String)
    /// SQLite refused to open or set up the file.
    case cannotOpen(path: String, reason: String)
    /// The database's schema is newer than this program knows.
    case newerSchema(path: String)
    /// A statement failed; `reason` is SQLite's message, which never holds a bound value.
    case failed(String)
    /// The append-only rules refused a change (a trigger or the authorizer).
    case refused(String)
    /// A package's stored envelope cannot be read back: the file was damaged or edited.
    case damagedEnvelope(packageID: String, reason: String)
    /// The storage under the database cannot take writes now (full, read-only, gone,
    /// failing); nothing of the failed write remains.
    case unavailable(StorageCondition, reason: String)

    public var description: String {
        switch self {
        case .missing(let path): return "no gateway database at \(path); run `sluice init` (or start the gateway) first"
        case .cannotOpen(let path, let reason): return "cannot open the gateway database \(path): \(reason)"
        case .newerSchema(let path): return "the gateway database \(path) was written by a newer Sluice; upgrade this one"
        case .failed(let reason): return "database error: \(reason)"
        case .refused(let reason): return "refused by the audit trail's append-only rules: \(reason)"
        case .damagedEnvelope(let packageID, let reason):
            return "the stored envelope of package \(packageID) is damaged (\(reason)); restore the database from a backup"
        case .unavailable(let condition, let reason): return "\(condition.explanation) (\(reason))"
        }
    }
}
