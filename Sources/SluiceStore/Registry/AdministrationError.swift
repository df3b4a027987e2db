import SluiceCore
import SluiceMasking

/// Why an administrative change was refused, with what the admin needs to fix it.
public enum AdministrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The agreement file does not validate; every problem, with file and line.
    case invalidAgreement([Diagnostic])
    case unknownAgreement(String)
    case unknownAgency(String)
    /// Revocation is final: no new version, no other status.
    case agreementRevoked(String)
    case transitionNotAllowed(agreement: String, from: AgreementStatus, to: AgreementStatus)
    /// The admin saw another version than the one now current (someone applied in between).
    case versionConflict(agreement: String, expected: Int?, current: Int?)
    /// An agency with this id exists with another name or other roles.
    case agencyConflict(String)
    case certificateInUse(fingerprint: String, agency: String)
    /// Not a certificate the agency CA issued for client authentication, valid now.
    case certificateRefused(fingerprint: String, reason: String)
    case certificateNotRegistered(fingerprint: String, agency: String)
    case possessionRefused(String)
    /// The admin who asked for a certificate cannot also grant it.
    case secondAdminRequired(agency: String)
    /// Separation of duties: one identity, one of partner, admin and auditor.
    case combinedRoles([AgencyRole])
    case invalidInput(String)

    /// The refusal in the audit trail's fixed vocabulary: the description can quote what
    /// the admin sent (a line of an agreement file, a name), which the trail never holds.
    public var code: String {
        switch self {
        case .invalidAgreement: return "invalid-agreement"
        case .unknownAgreement: return "unknown-agreement"
        case .unknownAgency: return "unknown-agency"
        case .agreementRevoked: return "agreement-revoked"
        case .transitionNotAllowed: return "transition-not-allowed"
        case .versionConflict: return "version-conflict"
        case .agencyConflict: return "agency-conflict"
        case .certificateInUse: return "certificate-in-use"
        case .certificateRefused: return "certificate-refused"
        case .certificateNotRegistered: return "certificate-not-registered"
        case .possessionRefused: return "possession-proof-refused"
        case .secondAdminRequired: return "second-admin-required"
        case .combinedRoles: return "combined-roles"
        case .invalidInput: return "invalid-input"
        }
    }

    /// The agreement the refused change was about, when the refusal names one.
    public var agreementID: String? {
        switch self {
        case .unknownAgreement(let id), .agreementRevoked(let id): return id
        case .transitionNotAllowed(let id, _, _), .versionConflict(let id, _, _): return id
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .invalidAgreement(let diagnostics):
            return "the agreement does not validate:\n" + diagnostics.map { "  " + $0.description }.joined(separator: "\n")
        case .unknownAgreement(let id): return "there is no agreement \(id) in the gateway's registry (apply it first)"
        case .unknownAgency(let id): return "there is no agency \(id) in the gateway's registry"
        case .agreementRevoked(let id): return "agreement \(id) is revoked, which is final; write a new agreement with a new id"
        case .transitionNotAllowed(let id, let from, let to):
            return from == to
                ? "agreement \(id) is already \(from.rawValue)"
                : "agreement \(id) is \(from.rawValue) and cannot become \(to.rawValue)"
                    + (to == .suspended ? " (only an active agreement can be suspended)" : "")
        case .versionConflict(let id, let expected, let current):
            return "agreement \(id) is now at version \(current ?? 0), not \(expected ?? 0) as expected: "
                + "someone applied a change meanwhile; review the new diff and apply again"
        case .agencyConflict(let id):
            return
                "agency \(id) is registered with another name or other roles; registrations cannot be edited, so add the certificate with the same name and roles, or register a new id"
        case .certificateInUse(let fingerprint, let agency): return "the certificate \(fingerprint) is already registered for agency \(agency)"
        case .certificateRefused(let fingerprint, let reason): return "the certificate \(fingerprint) cannot identify an agency: \(reason)"
        case .possessionRefused(let why): return why
        case .secondAdminRequired(let agency):
            return "you asked for this certificate of \(agency) yourself: a second, different admin must grant it (or the agency proves possession)"
        case .combinedRoles(let roles):
            return "one identity may hold one of partner, admin and auditor, not \(roles.map(\.rawValue).joined(separator: " and ")) "
                + "(separation of duties); register a certificate per role, or set allow_combined_roles in sluice.yaml"
        case .certificateNotRegistered(let fingerprint, let agency):
            return "\(fingerprint) is not a certificate registered for \(agency) (see `sluice agency list`)"
        case .invalidInput(let message): return message
        }
    }
}

extension AdministrationError {
    /// An administrator's reason for a change, held to the rules of what the audit trail
    /// may keep (``AdministrationReason``, beside the other personal-data rules).
    static func checkedReason(_ text: String) throws(AdministrationError) -> String {
        do { return try AdministrationReason.validated(text) } catch { throw .invalidInput(error.message) }
    }
}
