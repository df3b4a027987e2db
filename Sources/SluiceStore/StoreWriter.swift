import Foundation

/// The store inside one write transaction: everything a ``StoreReader`` reads, changed
/// through the same stores, and the audit trail appended to. Nothing done through it is
/// kept unless the whole transaction commits.
public protocol StoreWriter: StoreReader {
    /// Appends to the audit trail in this transaction, entries dated `time` (or the
    /// latest entry's time when the clock is behind it, unless `acceptingCorrection`: see
    /// ``AuditClock``).
    func auditAppender(time: Date, acceptingCorrection: Bool) throws -> any AuditAppending
}
