import Foundation
import X509

/// Proves who signed a JWS: the certificate its `x5c` names (which its `kid` must
/// match), the signature under that certificate's key, the chain to the trust anchors
/// valid at `time`, the gateway signing profile (``GatewaySigningProfile``: an agency's
/// certificate from the same CA is refused), and, when given, that the signer is the
/// expected one.
public struct SignerCheck: Sendable {
    public let trustAnchors: [Certificate]
    public let expectedSigner: Certificate?

    public init(trustAnchors: [Certificate], expectedSigner: Certificate? = nil) {
        self.trustAnchors = trustAnchors
        self.expectedSigner = expectedSigner
    }

    /// The signer's certificate, once every check passed.
    public func verify(_ jws: CompactJWS, at time: Date = Date()) async throws -> Certificate {
        let chain = try jws.certificateChain()
        guard let signer = chain.first else { throw JOSEError.untrustedSigner("the JWS carries no x5c certificate") }
        if let kid = jws.header["kid"] as? String, kid != (try JSONWebKey(signer.publicKey).thumbprint) {
            throw JOSEError.malformed("the JWS kid does not name the x5c certificate's key")
        }
        try jws.verify(with: signer.publicKey)

        var verifier = Verifier(rootCertificates: CertificateStore(trustAnchors)) { RFC5280Policy(validationTime: time) }
        let result = await verifier.validate(leaf: signer, intermediates: CertificateStore(Array(chain.dropFirst())))
        guard case .validCertificate = result else {
            if signer.notValidAfter < time { throw JOSEError.untrustedSigner("its certificate expired on \(signer.notValidAfter)") }
            if signer.notValidBefore > time {
                throw JOSEError.untrustedSigner("its certificate is not valid before \(signer.notValidBefore)")
            }
            throw JOSEError.untrustedSigner("its certificate (\(signer.subject)) does not chain to the trust anchors")
        }
        if let why = GatewaySigningProfile.refusal(of: signer) {
            throw JOSEError.notGatewaySigner("\(Self.name(of: signer)) is not a gateway signing certificate: \(why)")
        }
        if let expectedSigner, expectedSigner.publicKey != signer.publicKey {
            throw JOSEError.unexpectedSigner("signed by \(signer.subject), expected \(expectedSigner.subject)")
        }
        return signer
    }

    /// A certificate as people tell it apart: its subject and fingerprint.
    static func name(of certificate: Certificate) -> String {
        let fingerprint = (try? CertificateFingerprint(certificate).description).map { " (SHA-256 \($0.prefix(16))…)" } ?? ""
        return "\(certificate.subject)" + fingerprint
    }
}
