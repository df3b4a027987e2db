import Crypto
import Foundation
import X509
import _CryptoExtras

/// A private key that signs JWS: ES256 (P-256, the default), ES384 (P-384) or EdDSA (Ed25519).
public enum SigningKey: Sendable {
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    /// Reads PKCS#8 or SEC1 PEM, refusing a file others can read.
    public init(file: PrivateKeyFile) throws {
        let pem = try String(decoding: OwnerOnlyFile(path: file.path).read(), as: UTF8.self)
        try self.init(pem: pem)
    }

    public init(pem: String) throws {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p256(key)
        } else if let key = try? P384.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p384(key)
        } else if let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: pem) {
            self = .ed25519(key)
        } else {
            throw JOSEError.unsupportedKey("a signing key must be P-256, P-384 or Ed25519 in PEM")
        }
    }

    /// The JWS `alg` this key signs with.
    public var algorithm: String {
        switch self {
        case .p256: return "ES256"
        case .p384: return "ES384"
        case .ed25519: return "EdDSA"
        }
    }

    public var publicKey: Certificate.PublicKey {
        switch self {
        case .p256(let key): return Certificate.PublicKey(key.publicKey)
        case .p384(let key): return Certificate.PublicKey(key.publicKey)
        case .ed25519(let key): return Certificate.PublicKey(key.publicKey)
        }
    }

    /// The signature in JOSE form: R‖S for ECDSA (RFC 7518 §3.4), 64 bytes for Ed25519.
    func sign(_ input: Data) throws -> Data {
        switch self {
        case .p256(let key): return try key.signature(for: input).rawRepresentation
        case .p384(let key): return try key.signature(for: input).rawRepresentation
        case .ed25519(let key): return try key.signature(for: input)
        }
    }
}
