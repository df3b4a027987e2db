import SluiceAudit

/// Appends entries to the audit trail inside one write transaction (see
/// ``StoreWriter/auditAppender(time:acceptingCorrection:)``), remembering between
/// appends what the next one needs. An appender that failed appends nothing more.
public protocol AuditAppending {
    /// Appends `events` as the next entries, in order, and returns them as entries.
    mutating func append(contentsOf events: some Collection<AuditEvent>) throws -> [AuditEntry]
}
