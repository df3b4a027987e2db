import SluiceAudit
import SluiceCore
import SluiceStore

/// Whether a caller may submit under an agreement today: a party to it (others are told
/// it does not exist: which agreements others have is not their business), its provider,
/// the agreement in force (``AgreementGate``), and sealable in its crypto profile.
enum SubmissionAuthorization {
    /// The agreement, or the problem to answer with; a denial is marked in `event` (its
    /// action, outcome and reason) for the audit trail.
    /// `sealing` says why an agreement's packages cannot be sealed now, in its profile.
    static func agreement(
        _ known: AppliedAgreement?, for caller: Caller, on today: CalendarDate, event: inout AuditEvent, sealing: (Agreement) -> String?
    ) throws(GatewayProblem) -> AppliedAgreement {
        guard let applied = known, applied.agreement.isParty(caller.agency.id) else {
            if known != nil { deny(&event, "not-a-party") }
            throw GatewayProblem(.agreementNotFound, "there is no agreement of that id for \(caller.agency.id)")
        }
        let agreement = applied.agreement
        event.agreementVersion = applied.version
        guard agreement.provider == caller.agency.id else {
            deny(&event, "not-the-provider")
            throw GatewayProblem(.forbidden, "\(caller.agency.id) is the consumer, not the provider, of agreement \(agreement.id)")
        }
        if let refusal = AgreementGate.refusal(for: agreement, on: today) { throw refusal }
        if let why = sealing(agreement) {
            throw GatewayProblem(
                .cryptoProfileUnavailable,
                "agreement \(agreement.id) asks for the \(agreement.cryptoProfile.rawValue) profile: \(why); nothing was accepted")
        }
        return applied
    }

    private static func deny(_ event: inout AuditEvent, _ reason: String) {
        event.action = .accessDenied
        event.outcome = .denied
        event.reason = reason
    }
}
