import Foundation
import SluiceAudit
import SluiceCore

/// The registered agencies and their certificates, seen from inside one transaction.
/// Rows are only added; revocations are the ``RevocationStore``'s.
public protocol AgencyStore {
    func insertAgency(id: String, name: String, roles: [AgencyRole], at time: String, by actor: String) throws
    func insertCertificate(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: String) throws
    /// Records an admin's request to add a certificate to a registered agency without the
    /// agency's proof of possession, for a second admin to grant.
    func insertRequest(agencyID: String, fingerprint: String, der: Data, at time: String, by actor: AuditActor) throws
    /// Who asked for `fingerprint` to be added to `agencyID`, if anyone did.
    func request(fingerprint: String, agencyID: String) throws -> (id: String, kind: String)?
    /// The agency a certificate is registered to, whether or not it was revoked since.
    func owner(of fingerprint: String) throws -> String?
    func agency(_ id: String) throws -> RegisteredAgency?
    /// Every agency, ordered by id, with its certificates oldest first.
    func all() throws -> [RegisteredAgency]
    func isEmpty() throws -> Bool
}
