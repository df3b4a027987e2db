import CGMCrypto
import Foundation

/// An SM2 key (GB/T 32918) held by libcrypto: a private key that signs and decrypts, or a
/// public key that verifies and encrypts.
///
/// Unchecked `Sendable`: the handle is set once and freed in `deinit`; libcrypto's key
/// objects are safe to use from several threads for operations that only read them (each
/// operation makes a context of its own).
public final class SM2Key: @unchecked Sendable {
    let handle: OpaquePointer
    public let isPrivate: Bool

    /// The signer id GB/T 35276 fixes for SM2 signatures when none is agreed. OpenSSL's own
    /// default (an empty id) is one no other implementation uses.
    public static let defaultSignerID = Array("1234567812345678".utf8)

    private init(handle: OpaquePointer, isPrivate: Bool) {
        self.handle = handle
        self.isPrivate = isPrivate
    }

    /// A public key libcrypto made (from a certificate); this key frees it.
    convenience init(adopting handle: OpaquePointer) {
        self.init(handle: handle, isPrivate: false)
    }

    deinit { sluice_sm2_free(handle) }

    /// A new random key pair.
    public static func generate() throws(GMError) -> SM2Key {
        guard let handle = sluice_sm2_generate() else { throw .operationFailed("SM2 key generation") }
        return SM2Key(handle: handle, isPrivate: true)
    }

    /// A key pair from its 32-byte private scalar (1 ≤ d ≤ n − 2).
    public convenience init(privateScalar scalar: [UInt8]) throws(GMError) {
        guard scalar.count == 32, let handle = sluice_sm2_from_private(scalar) else {
            throw .invalidKey("an SM2 private key is a 32-byte scalar between 1 and n − 2")
        }
        self.init(handle: handle, isPrivate: true)
    }

    /// A public key from its 65-byte uncompressed point (04 ‖ x ‖ y), checked on the curve.
    public convenience init(publicPoint point: [UInt8]) throws(GMError) {
        guard point.count == 65, let handle = sluice_sm2_from_public(point) else {
            throw .invalidKey("an SM2 public key is an uncompressed point on the SM2 curve (65 bytes, 04 ‖ x ‖ y)")
        }
        self.init(handle: handle, isPrivate: false)
    }

    /// A key from PEM: a PKCS#8 or SEC1 private key, or a SubjectPublicKeyInfo, on the SM2
    /// curve only.
    public convenience init(pem: String) throws(GMError) {
        var isPrivate: Int32 = 0
        var text = pem
        let handle = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { sluice_sm2_from_pem($0.baseAddress, $0.count, &isPrivate) }
        }
        guard let handle else { throw .invalidKey("the PEM holds no SM2 key") }
        self.init(handle: handle, isPrivate: isPrivate == 1)
    }

    /// The 65-byte uncompressed public point.
    public var publicPoint: [UInt8] {
        var point = [UInt8](repeating: 0, count: 65)
        precondition(sluice_sm2_public_point(handle, &point) == 1, "an SM2 key without a public point")
        return point
    }

    /// The 32-byte private scalar, for tools that take keys in that form (GmSSL's Python
    /// binding, for one); nil for a public key.
    public var privateScalar: [UInt8]? {
        var scalar = [UInt8](repeating: 0, count: 32)
        return sluice_sm2_private_scalar(handle, &scalar) == 1 ? scalar : nil
    }

    /// The public half alone.
    public var publicKey: SM2Key {
        // The point came from a key that holds it: it is on the curve.
        (try? SM2Key(publicPoint: publicPoint)) ?? self
    }

    /// PEM text: PKCS#8 for the private key when `includingPrivate`, else SubjectPublicKeyInfo.
    public func pem(includingPrivate: Bool) throws(GMError) -> String {
        guard !includingPrivate || isPrivate else { throw .invalidKey("a public key has no private part to write") }
        var output = [CChar](repeating: 0, count: 1024)
        var written = 0
        guard sluice_sm2_pem(handle, includingPrivate ? 1 : 0, &output, output.count, &written) == 1 else {
            throw .operationFailed("writing an SM2 key as PEM")
        }
        return String(decoding: output[0..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The SM2 signature with SM3 of `message` for `signerID`: raw r ‖ s, 64 bytes.
    public func signature(for message: some DataProtocol, signerID: [UInt8] = defaultSignerID) throws(GMError) -> [UInt8] {
        guard isPrivate else { throw .invalidKey("a public key cannot sign") }
        var signature = [UInt8](repeating: 0, count: 64)
        let bytes = Array(message)
        let ok = bytes.withUnsafeBufferPointer { data in
            sluice_sm2_sign(handle, signerID, signerID.count, data.baseAddress, data.count, &signature)
        }
        guard ok == 1 else { throw .operationFailed("SM2 signing") }
        return signature
    }

    /// Whether `signature` (r ‖ s) is this key's over `message` for `signerID`.
    public func isValidSignature(_ signature: [UInt8], for message: some DataProtocol, signerID: [UInt8] = defaultSignerID) -> Bool {
        guard signature.count == 64 else { return false }
        let bytes = Array(message)
        return bytes.withUnsafeBufferPointer { data in
            sluice_sm2_verify(handle, signerID, signerID.count, data.baseAddress, data.count, signature)
        } == 1
    }

    /// SM2 encryption to this key: GM/T 0009's ASN.1 SM2Cipher (C1, C3, C2).
    public func encrypt(_ plaintext: [UInt8]) throws(GMError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: plaintext.count + 128)
        var written = 0
        let ok = plaintext.withUnsafeBufferPointer { sluice_sm2_encrypt(handle, $0.baseAddress, $0.count, &output, &written) }
        guard ok == 1 else { throw .operationFailed("SM2 encryption") }
        output.removeSubrange(written...)
        return output
    }

    /// Decrypts an ASN.1 SM2Cipher with this private key.
    public func decrypt(_ ciphertext: [UInt8]) throws(GMError) -> [UInt8] {
        guard isPrivate else { throw .invalidKey("a public key cannot decrypt") }
        var output = [UInt8](repeating: 0, count: max(ciphertext.count, 1))
        var written = 0
        let ok = ciphertext.withUnsafeBufferPointer { sluice_sm2_decrypt(handle, $0.baseAddress, $0.count, &output, &written) }
        guard ok == 1 else { throw .operationFailed("SM2 decryption") }
        output.removeSubrange(written...)
        return output
    }
}
