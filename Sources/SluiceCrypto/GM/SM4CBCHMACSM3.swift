import Foundation

/// The GM profile's content encryption, `SM4-CBC-HMAC-SM3`: RFC 7518 §5.2.2's
/// AES-CBC-HMAC-SHA-2 construction with SM4-CBC and HMAC-SM3 in their places.
///
/// The 32-byte content key splits into the MAC key (first 16 bytes) and the SM4 key (last
/// 16). The plaintext is padded (PKCS#7) and encrypted under a random 16-byte IV. The tag
/// is the first 16 bytes of HMAC-SM3 over AAD ‖ IV ‖ ciphertext ‖ AL, where AL is the
/// AAD's length in bits as a 64-bit big-endian number. Opening checks the tag, in constant
/// time, before anything is decrypted.
public enum SM4CBCHMACSM3 {
    public static let name = "SM4-CBC-HMAC-SM3"
    public static let keySize = 32
    public static let tagSize = 16

    public struct Sealed: Sendable, Hashable {
        public var iv: [UInt8]
        public var ciphertext: [UInt8]
        public var tag: [UInt8]
    }

    public static func seal(_ plaintext: [UInt8], key: [UInt8], additionalData: [UInt8], iv: [UInt8]? = nil) throws(GMError) -> Sealed {
        guard key.count == keySize else { throw .invalidKey("\(name) takes a 32-byte content key") }
        let iv = iv ?? randomBytes(SM4.blockSize)
        let ciphertext = try SM4.cbc(encrypt: true, key: Array(key[16...]), iv: iv, plaintext)
        return Sealed(iv: iv, ciphertext: ciphertext, tag: tag(key: key, additionalData: additionalData, iv: iv, ciphertext: ciphertext))
    }

    /// The plaintext, or ``GMError/operationFailed(_:)`` for any alteration (one answer
    /// for a bad tag and bad padding: no oracle).
    public static func open(_ sealed: Sealed, key: [UInt8], additionalData: [UInt8]) throws(GMError) -> [UInt8] {
        guard key.count == keySize else { throw .invalidKey("\(name) takes a 32-byte content key") }
        guard sealed.iv.count == SM4.blockSize, sealed.tag.count == tagSize, sealed.ciphertext.count % SM4.blockSize == 0,
            !sealed.ciphertext.isEmpty
        else { throw .operationFailed("\(name) decryption") }
        let expected = tag(key: key, additionalData: additionalData, iv: sealed.iv, ciphertext: sealed.ciphertext)
        var difference: UInt8 = 0
        for (a, b) in zip(expected, sealed.tag) { difference |= a ^ b }
        guard difference == 0 else { throw .operationFailed("\(name) decryption") }
        do {
            return try SM4.cbc(encrypt: false, key: Array(key[16...]), iv: sealed.iv, sealed.ciphertext)
        } catch {
            throw .operationFailed("\(name) decryption")
        }
    }

    static func tag(key: [UInt8], additionalData: [UInt8], iv: [UInt8], ciphertext: [UInt8]) -> [UInt8] {
        let mac = HMACSM3(key: Array(key[..<16]))
        mac.update(additionalData)
        mac.update(iv)
        mac.update(ciphertext)
        let bits = UInt64(additionalData.count) * 8
        mac.update((0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) })
        return Array(mac.finish().prefix(tagSize))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
