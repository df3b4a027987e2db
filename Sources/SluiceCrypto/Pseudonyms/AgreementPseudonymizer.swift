import Crypto
import Foundation

/// Keyed pseudonyms for one agreement: HMAC-SHA-256 under a key derived with HKDF
/// (RFC 5869) from the gateway's ``PseudonymSecret`` and the agreement id.
///
/// The same value gives the same pseudonym under one agreement, so a consumer can link
/// records; a different one under another agreement, so data sets cannot be joined.
/// Pseudonyms are the first 120 bits of the MAC in lower-case base32: 24 characters.
public struct AgreementPseudonymizer: Sendable {
    private let mac: HMACSHA256
    /// A key of its own for field names, so a name's digest is never a value's pseudonym.
    private let namesMAC: HMACSHA256

    public init(secret: PseudonymSecret, agreementID: String) {
        mac = Self.mac(secret: secret, salt: "sluice pseudonym v1", agreementID: agreementID)
        namesMAC = Self.mac(secret: secret, salt: "sluice field-name digest v1", agreementID: agreementID)
    }

    private static func mac(secret: PseudonymSecret, salt: String, agreementID: String) -> HMACSHA256 {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret.key, salt: Data(salt.utf8), info: Data(agreementID.utf8), outputByteCount: 32)
        return key.withUnsafeBytes { HMACSHA256(key: $0) }
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

    private static func code(of text: String, with mac: HMACSHA256) -> String {
        var text = text
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: HMACSHA256.byteCount) { code in
            text.withUTF8 { mac.authenticate(UnsafeRawBufferPointer($0), into: code.baseAddress!) }
            return Base32.encode(UnsafeBufferPointer(rebasing: code[0..<15]))
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
