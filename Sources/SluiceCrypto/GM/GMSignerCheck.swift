import Foundation

/// Whom a partner believes for the GM profile: one of the gateway's SM2 signing
/// certificates (current or retired), chained to a trusted SM2 CA and carrying the
/// document-signing usage. A `gm` JWS names its signer by key id only (no certificate in
/// the header), so the partner holds the certificates (`Certs/gateway-signing-sm2.pem`, or
/// `GET /v1/signing-certificates`).
public struct GMSignerCheck: Sendable {
    public let anchors: [SM2Certificate]
    /// The gateway's SM2 signing certificates and any intermediate CAs between them and an
    /// anchor.
    public let certificates: [SM2Certificate]

    public init(anchors: [SM2Certificate], certificates: [SM2Certificate]) {
        self.anchors = anchors
        self.certificates = certificates
    }

    /// The certificate whose key the JWS `compact` names (`kid`), once found trusted at
    /// `time`. The signature itself is the caller's to verify with its key.
    public func signer(of compact: String, at time: Date = Date()) throws(JOSEError) -> SM2Certificate {
        guard let kid = GMJOSE.keyID(namedIn: compact) else { throw .malformed("the JWS names no signing key (kid)") }
        guard let signer = certificates.first(where: { GMJOSE.keyID($0.publicKey) == kid }) else {
            throw .unexpectedSigner(
                "its SM2 signing key (kid \(kid.prefix(16))…) is not in any of the \(certificates.count) certificates given; a retired one may be missing"
            )
        }
        do {
            try SM2ChainCheck(anchors: anchors).verify(signer, intermediates: certificates.filter { $0 != signer }, at: time)
        } catch {
            throw .untrustedSigner(error.description)
        }
        guard signer.hasExtendedKeyUsage(SM2CertificateIssuer.documentSigning) == true else {
            throw .notGatewaySigner("the SM2 certificate of \(signer.commonName) is not a gateway signing certificate (no document-signing usage)")
        }
        return signer
    }
}
