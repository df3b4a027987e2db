import Foundation
import X509

/// A certification authority that signs certificates with its key: the development CA
/// that `sluice init` creates, or any CA whose key the gateway holds.
public struct CertificateIssuer: Sendable {
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A self-signed CA certificate for `key`.
    public static func selfSigned(
        subject: DistinguishedName, key: Certificate.PrivateKey, validFor days: Int, now: Date = Date()
    ) throws -> CertificateIssuer {
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
            issuer: subject, subject: subject,
            extensions: try CertificateProfile.certificateAuthority.extensions(
                subjectKey: key.publicKey, issuerKey: key.publicKey),
            issuerPrivateKey: key)
        return CertificateIssuer(certificate: certificate, privateKey: key)
    }

    /// Signs a certificate binding `subject` to `publicKey` for the given use.
    ///
    /// Validity starts five minutes back so a peer whose clock runs slightly behind
    /// still accepts a certificate issued a moment ago.
    public func issue(
        subject: DistinguishedName, publicKey: Certificate.PublicKey, profile: CertificateProfile, validFor days: Int,
        now: Date = Date()
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
            issuer: certificate.subject, subject: subject,
            extensions: try profile.extensions(subjectKey: publicKey, issuerKey: privateKey.publicKey),
            issuerPrivateKey: privateKey)
    }

    /// Whether this CA signed `other` (issuer name and signature both match).
    public func signed(_ other: Certificate) -> Bool {
        other.issuer == certificate.subject && certificate.publicKey.isValidSignature(other.signature, for: other)
    }
}
