import Foundation
import SluiceCore
import SluiceCrypto

/// What the registry accepts as an identity, for the gateway's admin API, the host
/// admin's CLI and a first start alike: certificates the agency CA issued for client
/// authentication (``AgencyCertificateCheck``), and one duty per identity.
public struct EnrolmentPolicy: Sendable {
    public var certificates: AgencyCertificateCheck
    /// Whether one identity may hold two of partner, admin and auditor: off unless
    /// `sluice.yaml` says `allow_combined_roles: true`, and recorded when on.
    public var allowsCombinedRoles: Bool
    /// The SM2 CAs whose certificates `gm` packages may be sealed to (`gm.ca` in
    /// `sluice.yaml`); none: no SM2 certificate is accepted.
    public var gmAuthorities: [SM2Certificate]

    public init(certificates: AgencyCertificateCheck, allowsCombinedRoles: Bool = false, gmAuthorities: [SM2Certificate] = []) {
        self.certificates = certificates
        self.allowsCombinedRoles = allowsCombinedRoles
        self.gmAuthorities = gmAuthorities
    }

    /// Why an SM2 certificate may not be sealed to, or nil (``GMRecipientCheck``).
    public func gmRefusal(of certificate: SM2Certificate, at time: Date = Date()) -> String? {
        GMRecipientCheck(anchors: gmAuthorities).refusal(of: certificate, at: time)
    }

    /// Separation of duties: an admin is not the auditor who checks the admin, and
    /// neither of them sends or receives packages.
    public static func combinesDuties(_ roles: some Collection<AgencyRole>) -> Bool {
        Set(roles).count > 1
    }
}
