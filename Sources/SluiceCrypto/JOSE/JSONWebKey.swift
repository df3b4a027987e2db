import Crypto
import Foundation
import X509
import _CryptoExtras

/// A public key as a JWK (RFC 7517), limited to the members its thumbprint uses.
public struct JSONWebKey: Sendable, Hashable {
    /// The required members for the key type, as RFC 7638 §3.2 lists them.
    public let members: [String: String]

    public init(members: [String: String]) {
        self.members = members
    }

    public init(_ key: Certificate.PublicKey) throws {
        if let p256 = P256.Signing.PublicKey(key) {
            self = Self.ec(curve: "P-256", raw: p256.rawRepresentation)
        } else if let p384 = P384.Signing.PublicKey(key) {
            self = Self.ec(curve: "P-384", raw: p384.rawRepresentation)
        } else if let ed25519 = Curve25519.Signing.PublicKey(key) {
            self.members = ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(ed25519.rawRepresentation)]
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            let components = try rsa.getKeyPrimitives()
            self.members = ["kty": "RSA", "n": Base64URL.encode(components.modulus), "e": Base64URL.encode(components.publicExponent)]
        } else {
            throw JOSEError.unsupportedKey("only P-256, P-384, Ed25519 and RSA keys are supported")
        }
    }

    static func ec(curve: String, raw: Data) -> JSONWebKey {
        let half = raw.count / 2
        return JSONWebKey(members: [
            "kty": "EC", "crv": curve, "x": Base64URL.encode(raw.prefix(half)), "y": Base64URL.encode(raw.suffix(half)),
        ])
    }

    /// The RFC 7638 thumbprint: SHA-256 over the required members in lexicographic
    /// order without whitespace, base64url. Sluice's `kid` everywhere.
    public var thumbprint: String {
        Base64URL.encode(Data(SHA256.hash(data: Data(canonicalJSON.utf8))))
    }

    /// The members as JSON with sorted keys and no whitespace. All values are base64url
    /// or plain names, so none needs escaping.
    public var canonicalJSON: String {
        "{" + members.keys.sorted().map { "\"\($0)\":\"\(members[$0]!)\"" }.joined(separator: ",") + "}"
    }
}

// A certificate's P-256, P-384, Ed25519 and RSA signing keys unwrap without conversion
// through swift-certificates' own initialisers (`P256.Signing.PublicKey(key)`…).
extension Certificate.PublicKey {
    /// This key as another swift-crypto key type (an RSA key for encryption), through its
    /// SubjectPublicKeyInfo PEM; nil when it is another kind of key.
    func converted<Key>(_ parse: (String) throws -> Key) -> Key? {
        guard let pem = try? serializeAsPEM().pemString else { return nil }
        return try? parse(pem)
    }
}
