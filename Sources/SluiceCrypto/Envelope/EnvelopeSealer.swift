import Foundation
import X509

/// Seals a package for its consumer: signs the payload as a JWS with the gateway's key
/// and certificate chain, then encrypts that JWS to the consumer's certificate key as a
/// JWE. Any JOSE library opens the result; no Sluice code is needed.
public struct EnvelopeSealer: Sendable {
    public let signingKey: SigningKey
    /// The gateway's certificate first, then any intermediates; sent as `x5c`.
    public let chain: [Certificate]
    private let encodedHeader: String

    /// The JWE `cty` for a nested JWS in compact form (RFC 7515 §4.1.10).
    public static let nestedContentType = "JOSE"
    /// The JWS `typ` of a package payload.
    public static let payloadType = "sluice-package+jws"

    public init(signingKey: SigningKey, chain: [Certificate]) throws {
        guard let leaf = chain.first, leaf.publicKey == signingKey.publicKey else {
            throw JOSEError.unsupportedKey("the signing certificate does not hold the signing key's public key")
        }
        self.signingKey = signingKey
        self.chain = chain
        encodedHeader = try CompactJWS.encodedHeader(for: signingKey, chain: chain, extraHeader: ["typ": Self.payloadType])
    }

    /// Payloads larger than this are deflated inside the JWE (`zip: DEF`): records
    /// compress well, and the envelope travels smaller.
    public static let compressionThreshold = 64 << 10

    public func seal(_ payload: Data, for recipient: Certificate) throws -> String {
        let signed = try CompactJWS.sign(payload, with: signingKey, encodedHeader: encodedHeader)
        return try CompactJWE.encrypt(
            Data(signed.utf8), to: recipient.publicKey, contentType: Self.nestedContentType,
            compress: signed.utf8.count > Self.compressionThreshold)
    }
}
