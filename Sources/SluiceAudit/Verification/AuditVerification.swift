/// What `verify` established about the audit trail.
public struct AuditVerification: Sendable {
    /// Entries read.
    public var size: UInt64
    public var checkpointsChecked: Int
    /// Of those, how many carry a verified SM2 co-signature (when an SM2 key was given).
    public var checkpointsCosigned = 0
    /// The latest signed checkpoint that verified and matched, if any.
    public var latestGoodCheckpoint: UInt64?
    /// Entries after the latest checkpoint, which no signature covers yet.
    public var uncheckpointedEntries: UInt64
    public var findings: [AuditFinding]

    public var passed: Bool { findings.isEmpty }

    public init(
        size: UInt64, checkpointsChecked: Int, latestGoodCheckpoint: UInt64?, uncheckpointedEntries: UInt64, findings: [AuditFinding]
    ) {
        self.size = size
        self.checkpointsChecked = checkpointsChecked
        self.latestGoodCheckpoint = latestGoodCheckpoint
        self.uncheckpointedEntries = uncheckpointedEntries
        self.findings = findings
    }
}
