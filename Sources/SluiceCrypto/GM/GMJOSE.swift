import Foundation
import SluiceCore

/// The GM profile's JOSE shapes: the same compact JWS and JWE as the international
/// profile, with the national algorithms.
///
/// - JWS `alg` `SM2-SM3`: the signature is SM2 with SM3 over the ASCII signing input, for
///   the signer id `1234567812345678`, written as raw r ‖ s (64 bytes).
/// - JWE `alg` `SM2`: the 32-byte content key encrypted to the recipient's SM2 key, as
///   GM/T 0009's ASN.1 SM2Cipher (C1 C3 C2); `enc` ``SM4CBCHMACSM3``; the AAD is the ASCII
///   of the encoded protected header; `zip` `DEF` as in the other profile.
/// - `kid`: the RFC 7638 thumbprint of the key's JWK `{"crv":"SM2","kty":"EC","x":…,"y":…}`,
///   hashed with SM3 instead of SHA-256.
public enum GMJOSE {
    public static let signatureAlgorithm = "SM2-SM3"
    public static let keyAlgorithm = "SM2"

    /// Whether a compact JWE or JWS is in the GM profile (its header's `alg` is `SM2` or
    /// `SM2-SM3`), judged from the header alone.
    public static func isGM(_ compact: String) -> Bool {
        guard let first = compact.trimmingWhitespace().split(separator: ".", maxSplits: 1).first, let data = Base64URL.decode(first),
            let header = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let algorithm = header["alg"] as? String
        else { return false }
        return algorithm == keyAlgorithm || algorithm == signatureAlgorithm
    }

    /// The key's id: base64url of SM3 over its canonical JWK.
    public static func keyID(_ key: SM2Key) -> String {
        let point = key.publicPoint
        let jwk = #"{"crv":"SM2","kty":"EC","x":""# + Base64URL.encode(point[1..<33]) + #"","y":""# + Base64URL.encode(point[33...]) + #""}"#
        return Base64URL.encode(SM3.hash(Array(jwk.utf8)))
    }

    /// The `kid` a compact JWS's protected header names, read before anything is verified:
    /// it only chooses which certificate's key then verifies the signature.
    public static func keyID(namedIn compact: String) -> String? {
        guard let first = compact.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1).first, let data = Base64URL.decode(bytes: first),
            let header = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        return header["kid"] as? String
    }

    /// A compact JWS of `payload`, signed with `key`; `extraHeader` adds string members.
    public static func sign(_ payload: Data, with key: SM2Key, extraHeader: [String: String] = [:]) throws -> String {
        var members = extraHeader
        members["alg"] = signatureAlgorithm
        members["kid"] = keyID(key)
        let signingInput = Base64URL.encode(headerJSON(members)) + "." + Base64URL.encode(payload)
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The header and payload of a compact JWS whose `SM2-SM3` signature `key` verifies.
    public static func verify(_ compact: String, with key: SM2Key) throws -> (header: [String: Any], payload: Data) {
        // Split on bytes: a package's JWS is megabytes, and Characters cost far more.
        let parts = compact.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw JOSEError.malformed("a JWS has 3 parts, this has \(parts.count)") }
        guard let headerData = Base64URL.decode(bytes: parts[0]), let payload = Base64URL.decode(bytes: parts[1]),
            let signature = Base64URL.decode(bytes: parts[2])
        else { throw JOSEError.malformed("a part is not base64url") }
        let header = try headerObject(headerData, of: "JWS")
        let algorithm = header["alg"] as? String ?? "(none)"
        guard algorithm == signatureAlgorithm else { throw JOSEError.algorithmNotAllowed("JWS alg \(algorithm)") }
        try CompactJWS.checkCritical(header, understood: [])
        let signingInput = Array(compact.utf8[parts[0].startIndex..<parts[1].endIndex])
        guard key.isValidSignature(Array(signature), for: signingInput) else { throw JOSEError.badSignature }
        return (header, payload)
    }

    /// Encrypts `content` to `recipient` (deflated first when `compressed`).
    public static func encrypt(_ content: Data, to recipient: SM2Key, contentType: String?, compressed: Bool) throws -> SealedEnvelope {
        var members = ["alg": keyAlgorithm, "enc": SM4CBCHMACSM3.name, "kid": keyID(recipient)]
        if let contentType { members["cty"] = contentType }
        if compressed { members["zip"] = "DEF" }
        let encodedHeader = Base64URL.encode(headerJSON(members))
        let contentKey = SM4CBCHMACSM3.randomBytes(SM4CBCHMACSM3.keySize)
        let encryptedKey = try recipient.encrypt(contentKey)
        let plaintext = compressed ? try Deflate.compress(content) : content
        let sealed = try SM4CBCHMACSM3.seal(Array(plaintext), key: contentKey, additionalData: Array(encodedHeader.utf8))
        return SealedEnvelope(
            encodedHeader: encodedHeader, encryptedKey: Data(encryptedKey), iv: Data(sealed.iv), ciphertext: Data(sealed.ciphertext),
            tag: Data(sealed.tag))
    }

    /// Checks, in order: five parts, a JSON header with `alg` `SM2` and `enc`
    /// `SM4-CBC-HMAC-SM3`, `crit`; then decrypts the content key with `key`, checks the tag
    /// and decrypts, and inflates `zip: DEF` content up to `inflationLimit` bytes.
    public static func decrypt(_ compact: String, with key: SM2Key, inflationLimit: Int = CompactJWE.defaultInflationLimit) throws -> (
        header: [String: Any], plaintext: Data
    ) {
        let envelope = try SealedEnvelope(compact: compact)
        guard let headerData = Base64URL.decode(envelope.encodedHeader) else { throw JOSEError.malformed("the JWE header is not base64url") }
        let header = try headerObject(headerData, of: "JWE")
        let algorithm = header["alg"] as? String ?? "(none)"
        let encryption = header["enc"] as? String ?? "(none)"
        guard algorithm == keyAlgorithm else { throw JOSEError.algorithmNotAllowed("JWE alg \(algorithm)") }
        guard encryption == SM4CBCHMACSM3.name else { throw JOSEError.algorithmNotAllowed("JWE enc \(encryption)") }
        let compressed: Bool
        switch header["zip"] {
        case nil: compressed = false
        case let zip as String where zip == "DEF": compressed = true
        case let zip: throw JOSEError.algorithmNotAllowed("JWE zip \(zip ?? "")")
        }
        try CompactJWS.checkCritical(header, understood: [])
        guard key.isPrivate else { throw JOSEError.wrongKeyType("an SM2 public key cannot open an envelope") }
        let content: [UInt8]
        do {
            let contentKey = try key.decrypt(Array(envelope.encryptedKey))
            content = try SM4CBCHMACSM3.open(
                .init(iv: Array(envelope.iv), ciphertext: Array(envelope.ciphertext), tag: Array(envelope.tag)), key: contentKey,
                additionalData: Array(envelope.encodedHeader.utf8))
        } catch {
            throw JOSEError.decryptionFailed
        }
        return (header, compressed ? try Deflate.decompress(Data(content), limit: inflationLimit) : Data(content))
    }

    /// Members in sorted order, no whitespace.
    static func headerJSON(_ members: [String: String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, name) in members.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendString(members[name]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func headerObject(_ data: Data, of kind: String) throws -> [String: Any] {
        guard let header = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw JOSEError.malformed("the \(kind) header is not a JSON object")
        }
        return header
    }
}
