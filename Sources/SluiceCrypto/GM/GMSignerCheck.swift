import Foundation

/// Whom a partner believes for the GM profile: the gateway's SM2 signing certificate,
/// chained to a trusted SM2 CA and carrying the document-signing usage. A `gm` JWS names
/// its signer by key id only (no certificate in the header), so the partner holds the
/// certificate (`Certs/gateway-signing-sm2.pem`, or the gateway's API).
public struct GMSignerCheck: Sendable {
    public let anchors: [SM2Certificate]
    public let signer: SM2Certificate
    /// Intermediate CAs between the signer and an anchor, if any.
    public let intermediates: [SM2Certificate]

    public init(anchors: [SM2Certificate], signer: SM2Certificate, intermediates: [SM2Certificate] = []) {
        self.anchors = anchors
        self.signer = signer
        self.intermediates = intermediates
    }

    /// The signer's key, once its certificate is found trusted at `time`.
    public func trustedKey(at time: Date = Date()) throws(JOSEError) -> SM2Key {
        do {
            try SM2ChainCheck(anchors: anchors).verify(signer, intermediates: intermediates, at: time)
        } catch {
            throw .untrustedSigner(error.description)
        }
        guard signer.hasExtendedKeyUsage(SM2CertificateIssuer.documentSigning) == true else {
            throw .notGatewaySigner("the SM2 certificate of \(signer.commonName) is not a gateway signing certificate (no document-signing usage)")
        }
        return signer.publicKey
    }

    /// Checks that a JWS header names this signer's key.
    public func checkKeyID(_ header: [String: Any]) throws(JOSEError) {
        guard header["kid"] as? String == GMJOSE.keyID(signer.publicKey) else {
            throw .unexpectedSigner("the JWS names another key than the SM2 certificate of \(signer.commonName)")
        }
    }
}
