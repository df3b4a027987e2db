import SluiceCore

/// Whether an agreement lets packages through today: its status and validity window,
/// checked at every step that moves a package (submission, inbox, fetch, acknowledgement),
/// so a suspended, revoked or expired agreement stops its packages from that request on.
enum AgreementGate {
    static func refusal(for agreement: Agreement, on today: CalendarDate) -> GatewayProblem? {
        switch agreement.status {
        case .draft: return GatewayProblem(.agreementDraft, "agreement \(agreement.id) is a draft and not yet active")
        case .suspended: return GatewayProblem(.agreementSuspended, "agreement \(agreement.id) is suspended")
        case .revoked: return GatewayProblem(.agreementRevoked, "agreement \(agreement.id) has been revoked")
        case .active: break
        }
        if today < agreement.validFrom {
            return GatewayProblem(.agreementNotYetValid, "agreement \(agreement.id) is valid from \(agreement.validFrom)")
        }
        if agreement.validUntil < today {
            return GatewayProblem(.agreementExpired, "agreement \(agreement.id) expired after \(agreement.validUntil)")
        }
        return nil
    }
}
