import Foundation
import SluiceCore
import SluiceCrypto

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

    /// The newest certificate not revoked of the international profile: the one the agency
    /// connects with, and the one its `jose` packages are sealed to.
    public var currentCertificate: RegisteredCertificate? {
        certificates.last { $0.revokedAt == nil && $0.profile == .jose }
    }

    /// The newest SM2 certificate not revoked: the one its `gm` packages are sealed to.
    public var currentGMCertificate: RegisteredCertificate? {
        certificates.last { $0.revokedAt == nil && $0.profile == .gm }
    }
}

/// One certificate registered for an agency: a client certificate (international
/// profile), or an SM2 certificate that `gm` packages are sealed to.
public struct RegisteredCertificate: Sendable, Hashable {
    /// SHA-256 of the DER, lowercase hex.
    public var fingerprint: String
    public var der: Data
    public var addedAt: String
    public var addedBy: String
    public var revokedAt: String?
    /// `gm` for a certificate with an SM2 key; `jose` otherwise.
    public var profile: CryptoProfile

    public init(fingerprint: String, der: Data, addedAt: String, addedBy: String, revokedAt: String? = nil) {
        self.fingerprint = fingerprint
        self.der = der
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.revokedAt = revokedAt
        profile = (try? SM2Certificate(derEncoded: Array(der))) == nil ? .jose : .gm
    }
}
