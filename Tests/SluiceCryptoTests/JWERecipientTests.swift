import Crypto
import Foundation
import Testing
import X509
import _CryptoExtras

@testable import SluiceCrypto

@Suite("JWE recipients and ephemeral keys") struct JWERecipientTests {
    /// A recipient's private key for opening, and its public key as a certificate holds it.
    static func recipient(_ kind: String) throws -> (open: DecryptionKey, publicKey: Certificate.PublicKey) {
        switch kind {
        case "P-256":
            let key = P256.KeyAgreement.PrivateKey()
            return (.p256(key), Certificate.PublicKey(try P256.Signing.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)))
        case "P-384":
            let key = P384.KeyAgreement.PrivateKey()
            return (.p384(key), Certificate.PublicKey(try P384.Signing.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)))
        default:
            let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
            return (.rsa(key), try Certificate.PublicKey(pemEncoded: key.publicKey.pemRepresentation))
        }
    }

    /// A recipient prepared once seals any number of envelopes that its private key opens,
    /// each with a new ephemeral key (EC) and a new content key and IV.
    @Test(arguments: ["P-256", "P-384", "RSA"])
    func aPreparedRecipientSealsEnvelopesItsKeyOpens(kind: String) throws {
        let (open, publicKey) = try Self.recipient(kind)
        let prepared = try JWERecipient(publicKey)
        #expect(prepared.kid == (try JSONWebKey(publicKey).thumbprint))
        var ephemeralKeys: Set<String> = []
        var encryptedKeys: Set<Data> = []
        var ivs: Set<Data> = []
        for round in 0..<8 {
            let plaintext = Data("round \(round)".utf8)
            let parts = try CompactJWE.encryptedParts(plaintext, to: prepared, contentType: "JOSE")
            let (header, opened) = try CompactJWE.decrypt(parts.compact, with: open)
            #expect(opened == plaintext)
            #expect(header["kid"] as? String == prepared.kid)
            if let epk = header["epk"] as? [String: String] { ephemeralKeys.insert("\(epk["x"] ?? "")/\(epk["y"] ?? "")") }
            encryptedKeys.insert(parts.encryptedKey)
            ivs.insert(parts.iv)
        }
        #expect(ephemeralKeys.count == (kind == "RSA" ? 0 : 8))
        #expect(encryptedKeys.count == 8)
        #expect(ivs.count == 8)
    }

    @Test func keysSluiceCannotEncryptToAreRefused() throws {
        let ed25519 = Certificate.PublicKey(Curve25519.Signing.PrivateKey().publicKey)
        #expect(throws: JOSEError.self) { try JWERecipient(ed25519) }
        let p521 = Certificate.PublicKey(P521.Signing.PrivateKey().publicKey)
        #expect(throws: JOSEError.self) { try JWERecipient(p521) }
        // RSA keys under 2048 bits never get this far: a certificate holding one does not parse.
    }

    /// Ephemeral keys are drawn as raw scalars; this relies on swift-crypto refusing a
    /// scalar that is zero or not below the group order, so those are drawn again.
    @Test func scalarsOutsideTheGroupOrderAreRefused() throws {
        // The order n of P-256 (FIPS 186-5 / SEC 2), big-endian.
        let hex = Array("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let order = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
        var belowOrder = order
        belowOrder[31] -= 1
        #expect(throws: (any Error).self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: order) }
        #expect(throws: (any Error).self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: (any Error).self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0xFF, count: 32)) }
        let largest = try P256.KeyAgreement.PrivateKey(rawRepresentation: belowOrder)
        #expect(largest.rawRepresentation == Data(belowOrder))
    }

    @Test func anInvalidDrawIsDrawnAgainWithNewBytes() throws {
        var seen: [Data] = []
        let key = try CompactJWE.ephemeralKey(bytes: 32) { scalar -> P256.KeyAgreement.PrivateKey in
            seen.append(Data(scalar))
            guard seen.count > 3 else { throw JOSEError.unsupportedKey("refused for the test") }
            return try P256.KeyAgreement.PrivateKey(rawRepresentation: scalar)
        }
        #expect(seen.count == 4)
        #expect(Set(seen).count == 4)
        #expect(seen.allSatisfy { $0.count == 32 })
        #expect(key.rawRepresentation == seen[3])

        var attempts = 0
        #expect(throws: JOSEError.self) {
            _ = try CompactJWE.ephemeralKey(bytes: 48) { _ -> P384.KeyAgreement.PrivateKey in
                attempts += 1
                throw JOSEError.unsupportedKey("refused for the test")
            }
        }
        #expect(attempts == 64)
    }
}
