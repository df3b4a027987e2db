import Crypto
import Foundation
import _CryptoExtras

/// A recipient's private key for opening JWE: P-256 or P-384 for ECDH-ES, RSA (2048 bits
/// and up) for RSA-OAEP-256.
public enum DecryptionKey {
    case p256(P256.KeyAgreement.PrivateKey)
    case p384(P384.KeyAgreement.PrivateKey)
    case rsa(_RSA.Encryption.PrivateKey)

    /// Reads PKCS#8, SEC1 or PKCS#1 PEM, refusing a file others can read.
    public init(file: PrivateKeyFile) throws {
        try self.init(pem: String(decoding: OwnerOnlyFile(path: file.path).read(), as: UTF8.self))
    }

    public init(pem: String) throws {
        if let key = try? P256.KeyAgreement.PrivateKey(pemRepresentation: pem) {
            self = .p256(key)
        } else if let key = try? P384.KeyAgreement.PrivateKey(pemRepresentation: pem) {
            self = .p384(key)
        } else if let key = try? _RSA.Encryption.PrivateKey(pemRepresentation: pem) {
            guard key.keySizeInBits >= 2048 else { throw JOSEError.unsupportedKey("RSA keys must have 2048 bits or more") }
            self = .rsa(key)
        } else {
            throw JOSEError.unsupportedKey("a decryption key must be P-256, P-384 or RSA in PEM")
        }
    }
}
