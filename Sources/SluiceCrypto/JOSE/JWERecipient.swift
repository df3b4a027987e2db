import Crypto
import Foundation
import X509
import _CryptoExtras

/// A recipient's public key made ready for encryption: converted to the key type its
/// algorithm needs and its `kid` (RFC 7638 thumbprint) taken once. A gateway seals every
/// package of an agreement to the same certificate; converting its key for each package
/// took about a sixth of sealing a small one.
public struct JWERecipient: Sendable {
    enum Key: Sendable {
        case p256(P256.KeyAgreement.PublicKey)
        case p384(P384.KeyAgreement.PublicKey)
        /// Kept as DER: swift-crypto's RSA key is not `Sendable`. RSA recipients are rare,
        /// and parsing is cheap next to RSA-OAEP.
        case rsa(der: Data)
    }

    let key: Key
    /// The thumbprint of the recipient's key, sent as the JWE `kid`.
    public let kid: String

    /// Throws ``JOSEError/unsupportedKey(_:)`` for a key Sluice does not encrypt to:
    /// anything but P-256, P-384 and RSA of 2048 bits or more.
    public init(_ publicKey: Certificate.PublicKey) throws {
        if let p256 = P256.Signing.PublicKey(publicKey) {
            key = .p256(try P256.KeyAgreement.PublicKey(rawRepresentation: p256.rawRepresentation))
        } else if let p384 = P384.Signing.PublicKey(publicKey) {
            key = .p384(try P384.KeyAgreement.PublicKey(rawRepresentation: p384.rawRepresentation))
        } else if let rsa = publicKey.converted(_RSA.Encryption.PublicKey.init(pemRepresentation:)) {
            guard rsa.keySizeInBits >= 2048 else { throw JOSEError.unsupportedKey("RSA recipients need 2048 bits or more") }
            key = .rsa(der: rsa.derRepresentation)
        } else {
            throw JOSEError.unsupportedKey("recipients must hold a P-256, P-384 or RSA key")
        }
        kid = try JSONWebKey(publicKey).thumbprint
    }

    public init(_ certificate: Certificate) throws {
        try self.init(certificate.publicKey)
    }
}
