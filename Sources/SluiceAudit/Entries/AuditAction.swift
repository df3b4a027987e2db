/// Everything the audit trail records, as a closed vocabulary: a new kind of access needs
/// a new case here, so no access can go unrecorded under a vague name.
public enum AuditAction: String, Sendable, Hashable, CaseIterable, Codable {
    // A provider's submission.
    case submitAccepted = "submit.accepted"
    case submitRejected = "submit.rejected"
    // A consumer's access to what it was sent.
    case inboxListed = "inbox.listed"
    case packageFetched = "package.fetched"
    case packageAcknowledged = "package.acknowledged"
    /// A partner listed the agreements it is party to.
    case agreementsListed = "agreement.listed"
    /// A sealed package removed after its agreement's retention period.
    case packagePurged = "package.purged"
    // Administration.
    case agreementApplied = "agreement.applied"
    case agreementSuspended = "agreement.suspended"
    case agreementActivated = "agreement.activated"
    case agreementRevoked = "agreement.revoked"
    case agencyAdded = "agency.added"
    /// An admin asked for a further certificate of a registered agency; a second admin grants it.
    case agencyCertificateRequested = "agency.certificate_requested"
    case agencyRevoked = "agency.revoked"
    case keyRotated = "key.rotated"
    /// An admin read the registry: agreements, versions, history, agencies, or a dry run.
    case registryRead = "registry.read"
    /// An admin or auditor read the gateway's metrics.
    case metricsRead = "metrics.read"
    // Reads of the audit trail itself.
    case auditEntriesRead = "audit.entries_read"
    case auditExported = "audit.exported"
    case auditProofServed = "audit.proof_served"
    case auditCheckpointRead = "audit.checkpoint_read"
    case auditVerified = "audit.verified"
    // Security events.
    case authenticationFailed = "auth.failed"
    case accessDenied = "access.denied"
    // The gateway's own life.
    case gatewayStarted = "gateway.started"
    case gatewayStopped = "gateway.stopped"
    /// The gateway could not write for a while (its storage full, read-only, gone):
    /// recorded when it can write again, with how long and how many requests it refused.
    case storageOutage = "gateway.storage_outage"
    /// An operator recorded that the clock was set back after it had run ahead: the one
    /// entry dated before the one before it.
    case clockCorrected = "gateway.clock_corrected"
    // Requests between agencies: a consumer asks, the provider answers (a `submit.accepted`
    // entry naming the request) or declines; refusals of a request or of an answer out of
    // its scope are `request.refused`.
    case dataRequestCreated = "request.created"
    case dataRequestRefused = "request.refused"
    case dataRequestsListed = "request.listed"
    case dataRequestRead = "request.read"
    case dataRequestDeclined = "request.declined"
    /// A request's sealed subjects (and note) removed after its agreement's retention.
    case dataRequestPurged = "request.purged"
    /// A backup of the store was made (`sluice backup create`, or the schedule).
    case backupCreated = "backup.created"
    /// The store was restored from a backup: the first entry after the restored ones, with
    /// the sizes when an operator accepted a rollback behind a kept checkpoint.
    case backupRestored = "backup.restored"
}

/// How an audited action ended.
public enum AuditOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    case success
    /// Refused because of what was sent (validation, limits, unlisted fields).
    case rejected
    /// Refused because of who asked (authentication, role, agreement party).
    case denied
    /// Could not be completed because of the gateway.
    case failed
}

extension AuditAction {
    /// The actions whose successful entries record a change to the registry (an agreement
    /// version or state, an agency certificate): what `verify` compares the registry with.
    public static let registryChanges: Set<AuditAction> = [
        .agreementApplied, .agreementSuspended, .agreementActivated, .agreementRevoked, .agencyAdded,
    ]

    /// Whether an action, as written in an entry's JSON, is one of ``registryChanges``.
    static func recordsRegistryChange(written action: UnsafeRawBufferPointer) -> Bool {
        // Most entries are submissions and reads: a first-byte test spares them the lookup.
        guard action.first == UInt8(ascii: "a") else { return false }
        return AuditAction(rawValue: String(decoding: action, as: UTF8.self)).map(registryChanges.contains) ?? false
    }
}
