/// Why the gateway's store cannot take a write now. Each is something an operator fixes
/// outside Sluice; the gateway refuses writes meanwhile and resumes by itself when it can
/// (except ``missing``, which needs a restart). The clock is one of them: entries are never
/// dated before ones already written.
public enum StorageCondition: String, Sendable, CaseIterable {
    /// The file system of the data directory has no room (or less than the headroom kept).
    case full
    /// The database or its file system only allows reading.
    case readOnly = "read-only"
    /// The database file was removed or replaced while the gateway ran: what it would
    /// write now would not be kept.
    case missing
    /// The operating system reported an I/O error.
    case failing
    /// The database server cannot be reached (a PostgreSQL store): the connection was
    /// refused, lost or timed out.
    case unreachable
    /// The clock is further behind the audit trail's latest entry than ``AuditClock``
    /// absorbs: writing now would date entries before ones already written.
    case clockBehind = "clock-behind"
    /// The clock stepped forward while the gateway ran, further than ``AuditClock``
    /// absorbs: until an operator confirms the new time, nothing is dated by it.
    case clockAhead = "clock-ahead"

    /// What an operator reads, and a partner may be told: no path, no value.
    public var explanation: String {
        switch self {
        case .full: return "the gateway's storage is full; nothing more is accepted until space is freed"
        case .readOnly: return "the gateway's storage is read-only; nothing can be accepted until it is writable again"
        case .missing:
            return "the gateway's database file was removed or replaced while it ran; restore the data directory and restart the gateway"
        case .failing: return "the gateway's storage reports I/O errors; nothing can be accepted until they stop"
        case .unreachable: return "the gateway cannot reach its database; nothing can be accepted or served until it can"
        case .clockBehind:
            return
                "the gateway's clock is behind its audit trail's latest entry; nothing can be accepted until the clock is right or the correction is recorded"
        case .clockAhead:
            return
                "the gateway's clock jumped forward while it ran; nothing can be accepted until the clock is right or an operator confirms the new time"
        }
    }
}

extension StorageCondition {
    /// The condition an SQLite primary result code reports, if it is about the storage:
    /// SQLITE_FULL (13), SQLITE_READONLY (8), SQLITE_IOERR (10), SQLITE_CANTOPEN (14).
    public init?(resultCode: Int32) {
        switch resultCode {
        case 13: self = .full
        case 8: self = .readOnly
        case 10, 14: self = .failing
        default: return nil
        }
    }
}
