import Crypto
import Foundation
import SluiceCore
import X509
import _CryptoExtras

/// A JWE in compact serialisation (RFC 7516 §7.1), with the algorithms Sluice uses:
/// `ECDH-ES+A256KW` for EC recipients, `RSA-OAEP-256` for RSA recipients, content in
/// `A256GCM`.
public enum CompactJWE {
    public static let allowedKeyAlgorithms: Set<String> = ["ECDH-ES+A256KW", "RSA-OAEP-256"]
    public static let allowedContentAlgorithms: Set<String> = ["A256GCM"]
    public static let understoodCritical: Set<String> = []

    /// The most an opened envelope may inflate to, unless the caller sets another limit.
    public static let defaultInflationLimit = 256 << 20

    /// Encrypts `plaintext` to the holder of `recipient`'s private key; with `compress`,
    /// the plaintext is deflated first (`zip: DEF`).
    public static func encrypt(
        _ plaintext: Data, to recipient: Certificate.PublicKey, contentType: String? = nil, compress: Bool = false
    ) throws -> String {
        try encryptedParts(plaintext, to: JWERecipient(recipient), contentType: contentType, compress: compress).compact
    }

    /// The same envelope in parts, for a caller that stores it before it is served.
    public static func encryptedParts(
        _ plaintext: Data, to recipient: JWERecipient, contentType: String? = nil, compress: Bool = false
    ) throws -> SealedEnvelope {
        var content = compress ? try Deflate.compress(plaintext) : plaintext
        return try encrypt(content: &content, deflated: compress, to: recipient, contentType: contentType)
    }

    /// Encrypts content that is already raw DEFLATE of the plaintext (`zip: DEF`), for a
    /// sealer that compressed while it produced the plaintext. The content is released
    /// once encrypted, before the envelope is written out.
    static func encrypt(deflated content: inout Data, to recipient: JWERecipient, contentType: String?) throws -> SealedEnvelope {
        try encrypt(content: &content, deflated: true, to: recipient, contentType: contentType)
    }

    private static func encrypt(
        content: inout Data, deflated: Bool, to recipient: JWERecipient, contentType: String?
    ) throws -> SealedEnvelope {
        var header = Header(kid: recipient.kid, cty: contentType, zip: deflated ? "DEF" : nil)
        let contentKey = SymmetricKey(size: .bits256)
        let encryptedKey: Data
        switch recipient.key {
        case .p256(let publicKey):
            let ephemeral = try ephemeralKey(bytes: 32) { try P256.KeyAgreement.PrivateKey(rawRepresentation: $0) }
            header.alg = "ECDH-ES+A256KW"
            header.epk = JSONWebKey.ec(curve: "P-256", raw: ephemeral.publicKey.rawRepresentation)
            encryptedKey = try wrap(contentKey, shared: ephemeral.sharedSecretFromKeyAgreement(with: publicKey))
        case .p384(let publicKey):
            let ephemeral = try ephemeralKey(bytes: 48) { try P384.KeyAgreement.PrivateKey(rawRepresentation: $0) }
            header.alg = "ECDH-ES+A256KW"
            header.epk = JSONWebKey.ec(curve: "P-384", raw: ephemeral.publicKey.rawRepresentation)
            encryptedKey = try wrap(contentKey, shared: ephemeral.sharedSecretFromKeyAgreement(with: publicKey))
        case .rsa(let der):
            let publicKey = try _RSA.Encryption.PublicKey(derRepresentation: der)
            header.alg = "RSA-OAEP-256"
            encryptedKey = try contentKey.withUnsafeBytes { try publicKey.encrypt(Data($0), padding: .PKCS1_OAEP_SHA256) }
        }
        let encodedHeader = Base64URL.encode(header.json)
        let sealed = try AES.GCM.seal(content, using: contentKey, nonce: AES.GCM.Nonce(), authenticating: Data(encodedHeader.utf8))
        content = Data()
        return SealedEnvelope(
            encodedHeader: encodedHeader, encryptedKey: encryptedKey, iv: Data(sealed.nonce), ciphertext: sealed.ciphertext, tag: sealed.tag)
    }

    /// The protected header of an envelope being sealed.
    private struct Header {
        var alg = ""
        var kid: String
        var cty: String?
        var zip: String?
        var epk: JSONWebKey?

        /// The members in sorted order, without whitespace, written directly: Foundation's
        /// `JSONSerialization` took more of sealing a package than its AES-GCM did.
        var json: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(320)
            var first = true
            func member(_ name: String, _ write: (inout [UInt8]) -> Void) {
                out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
                first = false
                JSONWriter.appendString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                write(&out)
            }
            member("alg") { JSONWriter.appendString(alg, to: &$0) }
            if let cty { member("cty") { JSONWriter.appendString(cty, to: &$0) } }
            member("enc") { JSONWriter.appendString("A256GCM", to: &$0) }
            if let epk { member("epk") { $0 += epk.canonicalJSON.utf8 } }
            member("kid") { JSONWriter.appendString(kid, to: &$0) }
            if let zip { member("zip") { JSONWriter.appendString(zip, to: &$0) } }
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    /// Checks, in order: five base64url parts, a JSON header, allowed algorithms and
    /// `crit`, a key of the right type; then decrypts, and inflates `zip: DEF` content up
    /// to `inflationLimit` bytes. Returns the header and plaintext.
    public static func decrypt(
        _ compact: String, with key: DecryptionKey, inflationLimit: Int = defaultInflationLimit
    ) throws -> (header: [String: Any], plaintext: Data) {
        let envelope = try SealedEnvelope(compact: compact)
        guard let headerData = Base64URL.decode(envelope.encodedHeader),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any]
        else {
            throw JOSEError.malformed("the JWE header is not a JSON object")
        }
        let algorithm = header["alg"] as? String ?? "(none)"
        let encryption = header["enc"] as? String ?? "(none)"
        guard allowedKeyAlgorithms.contains(algorithm) else { throw JOSEError.algorithmNotAllowed("JWE alg \(algorithm)") }
        guard allowedContentAlgorithms.contains(encryption) else { throw JOSEError.algorithmNotAllowed("JWE enc \(encryption)") }
        let compressed: Bool
        switch header["zip"] {
        case nil: compressed = false
        case let zip as String where zip == "DEF": compressed = true
        case let zip: throw JOSEError.algorithmNotAllowed("JWE zip \(zip ?? "")")
        }
        try CompactJWS.checkCritical(header, understood: understoodCritical)
        guard envelope.iv.count == 12, envelope.tag.count == 16 else { throw JOSEError.malformed("A256GCM needs a 96-bit IV and a 128-bit tag") }

        let contentKey: SymmetricKey
        switch (algorithm, key) {
        case ("ECDH-ES+A256KW", .p256(let privateKey)):
            let ephemeral = try P256.KeyAgreement.PublicKey(rawRepresentation: epkPoint(header, curve: "P-256", size: 32))
            contentKey = try unwrap(envelope.encryptedKey, shared: privateKey.sharedSecretFromKeyAgreement(with: ephemeral), header: header)
        case ("ECDH-ES+A256KW", .p384(let privateKey)):
            let ephemeral = try P384.KeyAgreement.PublicKey(rawRepresentation: epkPoint(header, curve: "P-384", size: 48))
            contentKey = try unwrap(envelope.encryptedKey, shared: privateKey.sharedSecretFromKeyAgreement(with: ephemeral), header: header)
        case ("RSA-OAEP-256", .rsa(let privateKey)):
            guard let raw = try? privateKey.decrypt(envelope.encryptedKey, padding: .PKCS1_OAEP_SHA256), raw.count == 32 else {
                throw JOSEError.decryptionFailed
            }
            contentKey = SymmetricKey(data: raw)
        default:
            throw JOSEError.wrongKeyType("\(algorithm) cannot be opened with this kind of key")
        }
        let content: Data
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: envelope.iv), ciphertext: envelope.ciphertext, tag: envelope.tag)
            content = try AES.GCM.open(box, using: contentKey, authenticating: Data(envelope.encodedHeader.utf8))
        } catch {
            throw JOSEError.decryptionFailed
        }
        return (header, compressed ? try Deflate.decompress(content, limit: inflationLimit) : content)
    }

    /// A fresh ECDH-ES key from a uniformly random scalar, drawn again in the rare case it
    /// is zero or not below the curve's order (FIPS 186-5 A.2.2, rejection sampling).
    /// swift-crypto's own generator also runs FIPS's pairwise consistency test, an ECDSA
    /// signature and its verification, a large part of sealing a small package; a key used
    /// for one ECDH computation and then dropped gains nothing from that test.
    /// The scalar stays in a `SymmetricKey`, whose storage is zeroed when released.
    static func ephemeralKey<Key>(bytes: Int, _ make: (UnsafeRawBufferPointer) throws -> Key) throws -> Key {
        for _ in 0..<64 {
            let scalar = SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8))
            if let key = try? scalar.withUnsafeBytes(make) { return key }
        }
        // 64 draws out of range in a row happen with probability below 2^-2000: the
        // random source is broken, and no key should come out of it.
        throw JOSEError.unsupportedKey("no valid ephemeral key could be drawn")
    }

    private static func wrap(_ contentKey: SymmetricKey, shared: SharedSecret) throws -> Data {
        let kek = shared.withUnsafeBytes { ConcatKDF.derive(sharedSecret: Data($0), keyBits: 256, algorithm: "ECDH-ES+A256KW") }
        return try AES.KeyWrap.wrap(contentKey, using: kek)
    }

    /// The content key of an `ECDH-ES+AxxxKW` recipient: Concat KDF over the shared secret
    /// for the header's `alg` (its key size from the name), then AES key unwrap. Only
    /// `ECDH-ES+A256KW` is allowed when opening; the others are here for the RFC 7520 vectors.
    static func unwrap(_ encryptedKey: Data, shared: SharedSecret, header: [String: Any]) throws -> SymmetricKey {
        let algorithm = header["alg"] as? String ?? ""
        let keyBits: Int
        switch algorithm {
        case "ECDH-ES+A128KW": keyBits = 128
        case "ECDH-ES+A192KW": keyBits = 192
        case "ECDH-ES+A256KW": keyBits = 256
        default: throw JOSEError.algorithmNotAllowed("JWE alg \(algorithm)")
        }
        let partyU = (header["apu"] as? String).flatMap { Base64URL.decode($0) } ?? Data()
        let partyV = (header["apv"] as? String).flatMap { Base64URL.decode($0) } ?? Data()
        let kek = shared.withUnsafeBytes {
            ConcatKDF.derive(sharedSecret: Data($0), keyBits: keyBits, algorithm: algorithm, partyUInfo: partyU, partyVInfo: partyV)
        }
        do { return try AES.KeyWrap.unwrap(encryptedKey, using: kek) } catch { throw JOSEError.decryptionFailed }
    }

    /// The ephemeral public point x‖y from the `epk` header, checked against the curve
    /// of the recipient key (swift-crypto then rejects points not on the curve).
    static func epkPoint(_ header: [String: Any], curve: String, size: Int) throws -> Data {
        guard let epk = header["epk"] as? [String: Any], epk["kty"] as? String == "EC" else {
            throw JOSEError.malformed("ECDH-ES needs an EC epk header")
        }
        guard epk["crv"] as? String == curve else { throw JOSEError.wrongKeyType("the epk is not on \(curve)") }
        guard let x = (epk["x"] as? String).flatMap({ Base64URL.decode($0) }), let y = (epk["y"] as? String).flatMap({ Base64URL.decode($0) }),
            x.count == size, y.count == size
        else { throw JOSEError.malformed("the epk coordinates are malformed") }
        return x + y
    }
}
