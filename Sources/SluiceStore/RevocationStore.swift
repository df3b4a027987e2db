import Foundation

/// A client certificate taken out of service: who it belonged to, why, when, and who
/// revoked it.
public struct CertificateRevocation: Sendable, Hashable {
    public var fingerprint: String
    public var agencyID: String
    public var reason: String
    public var revokedAt: String
    public var revokedBy: String

    public init(fingerprint: String, agencyID: String, reason: String, revokedAt: String, revokedBy: String) {
        self.fingerprint = fingerprint
        self.agencyID = agencyID
        self.reason = reason
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }
}

/// Revoked client certificates, seen from inside one transaction. The gateway asks on
/// every request, so a revocation by another process takes effect on the next one.
public protocol RevocationStore {
    /// Records a revocation; false when the certificate was already revoked.
    func revoke(_ revocation: CertificateRevocation) throws -> Bool
    func revocation(of fingerprint: String) throws -> CertificateRevocation?
    func all() throws -> [CertificateRevocation]
}
