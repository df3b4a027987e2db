import Crypto
import Foundation
import X509

/// Proves who signed a JWS: the certificate it names (by `x5t#S256` among the signing
/// certificates the partner holds, or, from older signers, carried in `x5c`), which its
/// `kid` must match; the signature under that certificate's key; the chain to the trust
/// anchors valid at `time`; and the gateway signing profile (``GatewaySigningProfile``:
/// an agency's certificate from the same CA is refused).
public struct SignerCheck: Sendable {
    public let trustAnchors: [Certificate]
    /// The gateway's signing certificates the partner holds (current and retired, with any
    /// intermediate CAs): a JWS names its signer among them. When not empty, a JWS that
    /// carries its own chain must still be signed by one of them.
    public let signers: [Certificate]

    public init(trustAnchors: [Certificate], signers: [Certificate] = []) {
        self.trustAnchors = trustAnchors
        self.signers = signers
    }

    /// The `x5t#S256` header value naming `certificate`: its DER's SHA-256, base64url.
    public static func thumbprint(of certificate: Certificate) throws -> String {
        Base64URL.encode(Data(SHA256.hash(data: try certificate.derBytes())))
    }

    /// The signer's certificate, once every check passed.
    public func verify(_ jws: CompactJWS, at time: Date = Date()) async throws -> Certificate {
        let (signer, intermediates) = try signerCertificate(of: jws)
        if let kid = jws.header["kid"] as? String, kid != (try JSONWebKey(signer.publicKey).thumbprint) {
            throw JOSEError.malformed("the JWS kid does not name its signing certificate's key")
        }
        try jws.verify(with: signer.publicKey)

        var verifier = Verifier(rootCertificates: CertificateStore(trustAnchors)) { RFC5280Policy(validationTime: time) }
        let result = await verifier.validate(leaf: signer, intermediates: CertificateStore(intermediates))
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
        return signer
    }

    /// The certificate the JWS names and the others that may complete its chain.
    private func signerCertificate(of jws: CompactJWS) throws -> (Certificate, [Certificate]) {
        let header = jws.header
        let named = header["x5t#S256"].map { $0 as? String ?? "" }
        if named == "" { throw JOSEError.malformed("x5t#S256 is not a base64url SHA-256 thumbprint") }
        let carried = try jws.certificateChain()
        if let leaf = carried.first {
            if let named, named != (try Self.thumbprint(of: leaf)) {
                throw JOSEError.malformed("the JWS x5t#S256 does not name its x5c certificate")
            }
            if !signers.isEmpty, !signers.contains(where: { $0.publicKey == leaf.publicKey }) {
                throw JOSEError.unexpectedSigner("signed by \(Self.name(of: leaf)), which is not among the signing certificates given")
            }
            return (leaf, Array(carried.dropFirst()) + signers.filter { $0 != leaf })
        }
        guard let named else { throw JOSEError.malformed("the JWS names no signing certificate (neither x5t#S256 nor x5c)") }
        guard !signers.isEmpty else {
            throw JOSEError.signerNotGiven(
                "the JWS names its signing certificate by x5t#S256 \(named.prefix(16))…; give the gateway's signing certificates")
        }
        guard let signer = try signers.first(where: { try Self.thumbprint(of: $0) == named }) else {
            throw JOSEError.unexpectedSigner(
                "its signing certificate (x5t#S256 \(named.prefix(16))…) is not among the \(signers.count) certificates given; a retired one may be missing"
            )
        }
        return (signer, signers.filter { $0 != signer })
    }

    /// A certificate as people tell it apart: its subject and fingerprint.
    static func name(of certificate: Certificate) -> String {
        let fingerprint = (try? CertificateFingerprint(certificate).description).map { " (SHA-256 \($0.prefix(16))…)" } ?? ""
        return "\(certificate.subject)" + fingerprint
    }
}
