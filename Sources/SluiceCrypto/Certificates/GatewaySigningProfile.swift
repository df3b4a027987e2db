import SwiftASN1
import X509

/// The profile only the gateway's signing certificate has: the RFC 9336
/// document-signing extended key usage, a key usage for signatures, no CA flag and no
/// TLS usage. Agency certificates chain to the same CA in many deployments, so the chain
/// alone cannot tell a gateway package from one a partner sealed with its own key; this
/// profile can, and the gateway never gives it to anyone else.
public enum GatewaySigningProfile {
    /// id-kp-documentSigning (RFC 9336 §3.1).
    public static let documentSigningOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 36]
    public static let documentSigning = ExtendedKeyUsage.Usage(oid: documentSigningOID)

    /// Whether the certificate names the document-signing usage at all: such a
    /// certificate may not identify an agency.
    public static func isClaimed(by certificate: Certificate) -> Bool {
        (try? certificate.extensions.extendedKeyUsage)?.contains(documentSigning) ?? false
    }

    /// Why `certificate` is not a gateway signing certificate; nil when it is one.
    public static func refusal(of certificate: Certificate) -> String? {
        let usages: ExtendedKeyUsage?
        do { usages = try certificate.extensions.extendedKeyUsage } catch {
            return "its extended key usage extension does not parse"
        }
        guard let usages, usages.contains(documentSigning) else {
            return "it lacks the document-signing extended key usage (RFC 9336) that only the gateway's signing certificate carries"
        }
        if usages.contains(.clientAuth) || usages.contains(.serverAuth) || usages.contains(.any) {
            return "it may also authenticate TLS clients or servers, which a gateway signing certificate may not"
        }
        if let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints {
            return "it is a CA certificate"
        }
        guard let keyUsage = try? certificate.extensions.keyUsage, keyUsage.digitalSignature else {
            return "its key usage does not allow digital signatures"
        }
        return nil
    }
}
