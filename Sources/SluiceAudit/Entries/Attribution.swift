/// Who makes a change and over which request: what every audit entry the change writes
/// names, so the admin API, the host's CLI and a first start record changes alike.
public struct Attribution: Sendable, Hashable {
    public var actor: AuditActor
    public var requestID: String?
    public var remoteAddress: String?

    public init(actor: AuditActor, requestID: String? = nil, remoteAddress: String? = nil) {
        self.actor = actor
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// An event by this actor over this request.
    public func event(
        _ action: AuditAction, _ outcome: AuditOutcome, agreementID: String? = nil, agreementVersion: Int? = nil, reason: String? = nil,
        details: [String: AuditDetail] = [:]
    ) -> AuditEvent {
        AuditEvent(
            actor: actor, action: action, outcome: outcome, agreementID: agreementID, agreementVersion: agreementVersion, reason: reason,
            requestID: requestID, remoteAddress: remoteAddress, details: details)
    }
}
