import Foundation
import X509

/// Whether a certificate may stand for an agency: issued by one of the configured agency
/// CAs (the client CA the gateway's TLS trusts), for client authentication, within its
/// validity, and without the gateway's signing profile. The gateway registers and seals
/// to such certificates only; `sluice seal` checks its recipient the same way.
///
/// The check is the one the TLS layer makes of a client that sends its certificate
/// alone: the issuer must be one of the certificates in the CA file.
public struct AgencyCertificateCheck: Sendable {
    public let authorities: [Certificate]

    public init(authorities: [Certificate]) {
        self.authorities = authorities
    }

    /// Why `certificate` cannot stand for an agency at `time`; nil when it can.
    public func refusal(of certificate: Certificate, at time: Date = Date()) -> String? {
        if GatewaySigningProfile.isClaimed(by: certificate) {
            return "it carries the document-signing usage reserved for the gateway's signing certificate"
        }
        let usages: ExtendedKeyUsage?
        do { usages = try certificate.extensions.extendedKeyUsage } catch { return "its extended key usage does not parse" }
        guard let usages, usages.contains(.clientAuth) else {
            return "it lacks the clientAuth extended key usage, so it cannot identify an agency"
        }
        if let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints {
            return "it is a CA certificate"
        }
        if certificate.notValidAfter < time { return "it expired on \(Self.day(certificate.notValidAfter))" }
        if certificate.notValidBefore > time { return "it is not valid before \(Self.day(certificate.notValidBefore))" }
        let issuers = authorities.filter { $0.subject == certificate.issuer }
        guard let issuer = issuers.first(where: { $0.publicKey.isValidSignature(certificate.signature, for: certificate) }) else {
            return "it was not issued by the configured agency CA"
        }
        if issuer.notValidAfter < time || issuer.notValidBefore > time { return "the CA that issued it is not valid now" }
        return nil
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
