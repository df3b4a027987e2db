import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Keys written as PEM in the forms other tools read: PKCS#8 for every private key,
/// SEC1 (`EC PRIVATE KEY`, as `openssl ec` writes) for P-256 and P-384, and SPKI
/// (`PUBLIC KEY`) for public keys. Reading all of these is done where keys are loaded
/// (``SigningKey``, ``DecryptionKey``, ``PrivateKeyFile``).
public enum KeyPEM {
    /// PKCS#8 `PRIVATE KEY`.
    public static func pkcs8(_ key: SigningKey) -> String {
        switch key {
        case .p256(let key): return key.pemRepresentation
        case .p384(let key): return key.pemRepresentation
        case .ed25519(let key): return key.pemRepresentation
        }
    }

    /// PKCS#8 `PRIVATE KEY` for an RSA key of a consumer agency.
    public static func pkcs8(_ key: _RSA.Encryption.PrivateKey) -> String {
        key.pkcs8PEMRepresentation
    }

    /// SEC1 `EC PRIVATE KEY` (RFC 5915) with the named curve and the public key.
    public static func sec1(_ key: SigningKey) throws -> String {
        let (scalar, publicPoint, curve): ([UInt8], [UInt8], ASN1ObjectIdentifier)
        switch key {
        case .p256(let key):
            (scalar, publicPoint, curve) = (Array(key.rawRepresentation), Array(key.publicKey.x963Representation), [1, 2, 840, 10045, 3, 1, 7])
        case .p384(let key):
            (scalar, publicPoint, curve) = (Array(key.rawRepresentation), Array(key.publicKey.x963Representation), [1, 3, 132, 0, 34])
        case .ed25519: throw JOSEError.unsupportedKey("SEC1 is for elliptic-curve keys; write an Ed25519 key as PKCS#8")
        }
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { node in
            try node.serialize(1)
            try node.serialize(ASN1OctetString(contentBytes: scalar[...]))
            try node.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { inner in try inner.serialize(curve) }
            try node.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { inner in
                try inner.serialize(ASN1BitString(bytes: publicPoint[...]))
            }
        }
        return PEMDocument(type: "EC PRIVATE KEY", derBytes: serializer.serializedBytes).pemString + "\n"
    }

    /// SPKI `PUBLIC KEY` of any key Sluice handles.
    public static func publicKey(_ key: Certificate.PublicKey) throws -> String {
        try key.serializeAsPEM().pemString + "\n"
    }
}
