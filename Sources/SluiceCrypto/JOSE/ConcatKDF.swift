import Crypto
import Foundation

/// The Concat KDF of NIST SP 800-56A §5.8.1 as JOSE uses it for ECDH-ES (RFC 7518 §4.6.2),
/// with SHA-256. swift-crypto has HKDF and X9.63 but not this one.
public enum ConcatKDF {
    /// Derives `keyBits` of key from the shared secret `z`.
    ///
    /// - Parameters:
    ///   - algorithm: the `enc` value for direct key agreement, the `alg` value with key wrapping.
    ///   - partyUInfo, partyVInfo: the decoded `apu` and `apv` header values, often empty.
    public static func derive(
        sharedSecret z: some DataProtocol, keyBits: Int, algorithm: String, partyUInfo: Data = Data(), partyVInfo: Data = Data()
    ) -> SymmetricKey {
        var otherInfo = Data()
        otherInfo.append(lengthPrefixed(Data(algorithm.utf8)))
        otherInfo.append(lengthPrefixed(partyUInfo))
        otherInfo.append(lengthPrefixed(partyVInfo))
        otherInfo.append(bigEndian(UInt32(keyBits)))
        var derived = Data()
        var counter: UInt32 = 1
        while derived.count * 8 < keyBits {
            var hash = SHA256()
            hash.update(data: bigEndian(counter))
            hash.update(data: Data(z))
            hash.update(data: otherInfo)
            derived.append(contentsOf: hash.finalize())
            counter += 1
        }
        return SymmetricKey(data: derived.prefix(keyBits / 8))
    }

    static func lengthPrefixed(_ data: Data) -> Data {
        bigEndian(UInt32(data.count)) + data
    }

    static func bigEndian(_ value: UInt32) -> Data {
        withUnsafeBytes(of: value.bigEndian) { Data($0) }
    }
}
