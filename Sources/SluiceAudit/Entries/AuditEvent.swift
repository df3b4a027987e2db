import Foundation

/// What happened, as the code that saw it describes it. The log gives it its place
/// (sequence) and time when it appends it, turning it into an ``AuditEntry``.
public struct AuditEvent: Sendable, Hashable {
    public var actor: AuditActor
    public var action: AuditAction
    public var outcome: AuditOutcome
    public var agreementID: String?
    public var agreementVersion: Int?
    public var packageID: String?
    public var reason: String?
    public var requestID: String?
    public var remoteAddress: String?
    public var details: [String: AuditDetail]

    public init(
        actor: AuditActor, action: AuditAction, outcome: AuditOutcome, agreementID: String? = nil,
        agreementVersion: Int? = nil, packageID: String? = nil, reason: String? = nil, requestID: String? = nil,
        remoteAddress: String? = nil, details: [String: AuditDetail] = [:]
    ) {
        self.actor = actor
        self.action = action
        self.outcome = outcome
        self.agreementID = agreementID
        self.agreementVersion = agreementVersion
        self.packageID = packageID
        self.reason = reason
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.details = details
    }
}

extension AuditEntry {
    public init(sequence: UInt64, time: Date, event: AuditEvent) {
        self.init(sequence: sequence, time: AuditTime.format(time), event: event)
    }

    /// - Parameter time: already formatted by ``AuditTime/format(_:)``.
    public init(sequence: UInt64, time: String, event: AuditEvent) {
        self.init(
            sequence: sequence, time: time, actor: event.actor, action: event.action,
            agreementID: event.agreementID, agreementVersion: event.agreementVersion, packageID: event.packageID,
            outcome: event.outcome, reason: event.reason, requestID: event.requestID,
            remoteAddress: event.remoteAddress, details: event.details)
    }
}
