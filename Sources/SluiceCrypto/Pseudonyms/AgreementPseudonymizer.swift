import Crypto
import Foundation
import SluiceCore

/// Keyed pseudonyms for one agreement: HMAC-SHA-256 under a key derived with HKDF
/// (RFC 5869) from the gateway's ``PseudonymSecret`` and the agreement id; in a `gm`
/// agreement, HMAC-SM3 under a key derived by HKDF with HMAC-SM3, so the national
/// algorithms cover the pseudonyms too.
///
/// The same value gives the same pseudonym under one agreement, so a consumer can link
/// records; a different one under another agreement, so data sets cannot be joined.
/// Pseudonyms are the first 120 bits of the MAC in lower-case base32: 24 characters.
public struct AgreementPseudonymizer: Sendable {
    private let mac: Keyed
    /// A key of its own for field names, so a name's digest is never a value's pseudonym.
    private let namesMAC: Keyed

    private enum Keyed: Sendable {
        case sha256(HMACSHA256)
        case sm3(key: [UInt8])
    }

    public init(secret: PseudonymSecret, agreementID: String, profile: CryptoProfile = .jose) {
        mac = Self.mac(secret: secret, salt: "sluice pseudonym v1", agreementID: agreementID, profile: profile)
        namesMAC = Self.mac(secret: secret, salt: "sluice field-name digest v1", agreementID: agreementID, profile: profile)
    }

    private static func mac(secret: PseudonymSecret, salt: String, agreementID: String, profile: CryptoProfile) -> Keyed {
        switch profile {
        case .jose:
            let key = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: secret.key, salt: Data(salt.utf8), info: Data(agreementID.utf8), outputByteCount: 32)
            return .sha256(key.withUnsafeBytes { HMACSHA256(key: $0) })
        case .gm:
            // RFC 5869 with HMAC-SM3: extract, then one block of expansion (32 bytes).
            let material = secret.key.withUnsafeBytes { Array($0) }
            let pseudorandom = SM3.authenticationCode(material, key: Array(salt.utf8))
            return .sm3(key: SM3.authenticationCode(Array(agreementID.utf8) + [0x01], key: pseudorandom))
        }
    }

    public func pseudonym(of canonical: String) -> String {
        Self.code(of: canonical, with: mac)
    }

    /// How a field name the agreement does not list is written where others read it (the
    /// audit trail, the receipt, the consumer's payload): `digest:` and 24 base32
    /// characters of a MAC under this agreement's field-name key. An officer holding the
    /// provider's file matches a name with `sluice audit digest-name`; nobody reads it back.
    public func fieldNameDigest(_ name: String) -> String {
        "digest:" + Self.code(of: name, with: namesMAC)
    }

    private static func code(of text: String, with keyed: Keyed) -> String {
        switch keyed {
        case .sha256(let mac):
            var text = text
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: HMACSHA256.byteCount) { code in
                text.withUTF8 { mac.authenticate(UnsafeRawBufferPointer($0), into: code.baseAddress!) }
                return Base32.encode(UnsafeBufferPointer(rebasing: code[0..<15]))
            }
        case .sm3(let key):
            let code = SM3.authenticationCode(Array(text.utf8), key: key)
            return code.withUnsafeBufferPointer { Base32.encode(UnsafeBufferPointer(rebasing: $0[0..<15])) }
        }
    }
}

/// RFC 4648 base32 in lower case without padding.
enum Base32 {
    /// The digit for a 5-bit value: `a`–`z`, then `2`–`7`. Computed rather than read
    /// from a table: a table in a `static let` is a lazy global, checked per character.
    @inline(__always) static func digit(_ value: UInt32) -> UInt8 {
        value < 26 ? UInt8(ascii: "a") + UInt8(value) : UInt8(ascii: "2") + UInt8(value - 26)
    }

    static func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: (bytes.count * 8 + 4) / 5) { output in
            var written = 0
            var buffer: UInt32 = 0
            var bits = 0
            for byte in bytes {
                buffer = (buffer << 8 | UInt32(byte)) & 0xFFFF
                bits += 8
                while bits >= 5 {
                    output[written] = digit((buffer >> UInt32(bits - 5)) & 31)
                    written += 1
                    bits -= 5
                }
            }
            if bits > 0 {
                output[written] = digit((buffer << UInt32(5 - bits)) & 31)
                written += 1
            }
            return written
        }
    }
}
