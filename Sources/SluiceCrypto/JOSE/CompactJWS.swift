import Crypto
import Foundation
import SwiftASN1
import X509

/// A JWS in compact serialisation (RFC 7515 §7.1): `header.payload.signature`.
public struct CompactJWS: Sendable {
    /// The decoded protected header, kept as JSON so the type stays `Sendable`.
    let headerJSON: Data
    public let protectedHeader: String
    public let payload: Data
    /// The payload as sent: a view into the token's text, not a copy (a backup's is gigabytes).
    let encodedPayload: Substring
    let signature: Data

    /// Algorithms Sluice verifies. `none` and every HMAC algorithm are refused: the
    /// verifier holds a public key, and an HMAC keyed with it would prove nothing.
    public static let allowedAlgorithms: Set<String> = ["ES256", "ES384", "EdDSA"]
    /// `crit` extensions this implementation understands (none yet).
    public static let understoodCritical: Set<String> = []

    /// Signs `payload`; `kid` is the key's RFC 7638 thumbprint, `x5c` the chain when given.
    public static func sign(
        _ payload: Data, with key: SigningKey, chain: [Certificate] = [], extraHeader: [String: String] = [:]
    ) throws -> String {
        try sign(payload, with: key, encodedHeader: encodedHeader(for: key, chain: chain, extraHeader: extraHeader))
    }

    /// Signs with a protected header encoded beforehand by ``encodedHeader(for:chain:extraHeader:)``:
    /// a signer that always sends the same header (key id, chain, type) encodes it once.
    public static func sign(_ payload: Data, with key: SigningKey, encodedHeader: String) throws -> String {
        String(decoding: try signedBytes(payload, with: key, encodedHeader: encodedHeader), as: UTF8.self)
    }

    /// The same JWS as bytes, written once into one buffer and signed in place: a sealer
    /// encrypts these bytes and never needs them as text (building the text, then the
    /// signing input, then the bytes to encrypt copied a package's payload four times).
    static func signedBytes(_ payload: Data, with key: SigningKey, encodedHeader: String) throws -> Data {
        let header = Array(encodedHeader.utf8)
        let inputCount = header.count + 1 + Base64URL.encodedCount(payload.count)
        // Room for the largest signature of any key kind (ES384: 96 bytes).
        var out = Data(count: inputCount + 1 + Base64URL.encodedCount(128))
        out.withUnsafeMutableBytes { buffer in
            buffer.copyBytes(from: header)
            buffer[header.count] = UInt8(ascii: ".")
            payload.withUnsafeBytes { _ = Base64URL.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: buffer[(header.count + 1)...])) }
        }
        let signature = try key.sign(out.prefix(inputCount))
        let written = out.withUnsafeMutableBytes { buffer in
            buffer[inputCount] = UInt8(ascii: ".")
            return signature.withUnsafeBytes { Base64URL.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: buffer[(inputCount + 1)...])) }
        }
        out.count = inputCount + 1 + written
        return out
    }

    /// The base64url protected header: `alg`, `kid` (RFC 7638 thumbprint), `x5c`, and extras.
    public static func encodedHeader(for key: SigningKey, chain: [Certificate], extraHeader: [String: String]) throws -> String {
        var header: [String: Any] = ["alg": key.algorithm, "kid": try JSONWebKey(key.publicKey).thumbprint]
        for (name, value) in extraHeader { header[name] = value }
        if !chain.isEmpty { header["x5c"] = try chain.map { try Data($0.derBytes()).base64EncodedString() } }
        return Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    }

    /// A small protected header (`alg`, `kid`, `x5t#S256` naming `certificate`, and extras):
    /// what the gateway signs with, so that common JOSE libraries, which cap protected
    /// headers (joserfc at 512 bytes), read it with their default settings. The partner
    /// finds the certificate among the gateway's signing certificates it holds.
    public static func encodedHeader(for key: SigningKey, naming certificate: Certificate, extraHeader: [String: String]) throws -> String {
        var header: [String: Any] = [
            "alg": key.algorithm, "kid": try JSONWebKey(key.publicKey).thumbprint, "x5t#S256": try SignerCheck.thumbprint(of: certificate),
        ]
        for (name, value) in extraHeader { header[name] = value }
        return Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    }

    /// Parses without verifying: well-formedness and the algorithm allow-list only.
    public init(_ compact: String) throws {
        let parts = compact.compactParts()
        guard parts.count == 3 else { throw JOSEError.malformed("a JWS has 3 parts, this has \(parts.count)") }
        guard let headerData = Base64URL.decode(bytes: parts[0]), let payload = Base64URL.decode(bytes: parts[1]),
            let signature = Base64URL.decode(bytes: parts[2])
        else { throw JOSEError.malformed("a part is not base64url") }
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw JOSEError.malformed("the JWS header is not a JSON object")
        }
        guard let algorithm = header["alg"] as? String else { throw JOSEError.malformed("the JWS header has no alg") }
        guard Self.allowedAlgorithms.contains(algorithm) else { throw JOSEError.algorithmNotAllowed("JWS alg \(algorithm)") }
        try Self.checkCritical(header, understood: Self.understoodCritical)
        self.headerJSON = headerData
        self.protectedHeader = String(Substring(parts[0]))
        self.payload = payload
        self.encodedPayload = Substring(parts[1])
        self.signature = signature
    }

    /// The protected header's members.
    public var header: [String: Any] {
        (try? JSONSerialization.jsonObject(with: headerJSON)) as? [String: Any] ?? [:]
    }

    /// The certificates of the `x5c` header, signer first.
    public func certificateChain() throws -> [Certificate] {
        guard let encoded = header["x5c"] as? [Any] else { return [] }
        return try encoded.map { item in
            guard let text = item as? String, let der = Data(base64Encoded: text) else {
                throw JOSEError.malformed("x5c holds something that is not a base64 certificate")
            }
            return try Certificate(derEncoded: Array(der))
        }
    }

    /// Verifies the signature with `key`, checking that the key fits `alg`.
    public func verify(with key: Certificate.PublicKey) throws {
        // The signing input hashed in place: joined into one string it would be copied twice.
        func digest<H: HashFunction>(_: H.Type) -> H.Digest {
            var hash = H()
            hash.update(data: Data(protectedHeader.utf8))
            hash.update(data: Data(".".utf8))
            var payload = encodedPayload
            payload.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            return hash.finalize()
        }
        let algorithm = header["alg"] as? String ?? ""
        let valid: Bool
        switch algorithm {
        case "ES256":
            guard let key = P256.Signing.PublicKey(key) else { throw JOSEError.wrongKeyType("ES256 needs a P-256 key") }
            valid =
                (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: digest(SHA256.self)) } ?? false
        case "ES384":
            guard let key = P384.Signing.PublicKey(key) else { throw JOSEError.wrongKeyType("ES384 needs a P-384 key") }
            valid =
                (try? P384.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: digest(SHA384.self)) } ?? false
        case "EdDSA":
            guard let key = Curve25519.Signing.PublicKey(key) else { throw JOSEError.wrongKeyType("EdDSA needs an Ed25519 key") }
            // Ed25519 hashes the message itself: it needs it whole.
            valid = key.isValidSignature(signature, for: Data((protectedHeader + "." + encodedPayload).utf8))
        default:
            throw JOSEError.algorithmNotAllowed("JWS alg \(algorithm)")
        }
        guard valid else { throw JOSEError.badSignature }
    }

    static func checkCritical(_ header: [String: Any], understood: Set<String>) throws {
        guard let critical = header["crit"] else { return }
        guard let names = critical as? [String], !names.isEmpty else {
            throw JOSEError.malformed("crit must be a non-empty list of header names")
        }
        let unknown = names.filter { !understood.contains($0) }
        if !unknown.isEmpty { throw JOSEError.unsupportedCritical(unknown.joined(separator: ", ")) }
    }
}

extension Certificate {
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
