import Foundation
import SluiceCore

/// An agency as the gateway's registry holds it: who it is, what it may do, and every
/// certificate ever registered for it (revoked ones included, so history still reads).
public struct RegisteredAgency: Sendable, Hashable {
    public var id: String
    public var name: String
    public var roles: [AgencyRole]
    public var addedAt: String
    public var addedBy: String
    public var certificates: [RegisteredCertificate]

    public init(id: String, name: String, roles: [AgencyRole], addedAt: String, addedBy: String, certificates: [RegisteredCertificate]) {
        self.id = id
        self.name = name
        self.roles = roles
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.certificates = certificates
    }

    /// The agency as agreements and callers see it. Its certificate is named by
    /// fingerprint: the registry, not a file, holds it.
    public var agency: Agency {
        Agency(id: id, name: name, roles: roles, certificate: certificates.last.map { "sha256:" + $0.fingerprint } ?? "")
    }

    /// The newest certificate not revoked: the one packages for this agency are sealed to.
    public var currentCertificate: RegisteredCertificate? {
        certificates.last { $0.revokedAt == nil }
    }
}

/// One client certificate registered for an agency.
public struct RegisteredCertificate: Sendable, Hashable {
    /// SHA-256 of the DER, lowercase hex.
    public var fingerprint: String
    public var der: Data
    public var addedAt: String
    public var addedBy: String
    public var revokedAt: String?

    public init(fingerprint: String, der: Data, addedAt: String, addedBy: String, revokedAt: String? = nil) {
        self.fingerprint = fingerprint
        self.der = der
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.revokedAt = revokedAt
    }
}
