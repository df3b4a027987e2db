/// Why a JOSE object could not be made or opened. Each step of opening an envelope has
/// its own case, so a consumer learns exactly what failed.
public enum JOSEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not five (JWE) or three (JWS) base64url parts, or a header that is not JSON.
    case malformed(String)
    /// `alg`, `enc` or `zip` outside what Sluice accepts (never `none`).
    case algorithmNotAllowed(String)
    /// A `crit` header names an extension Sluice does not implement (RFC 7515 §4.1.11).
    case unsupportedCritical(String)
    /// The recipient key does not fit the `alg` (an RSA key for ECDH-ES, say).
    case wrongKeyType(String)
    /// Decryption failed: wrong key, or ciphertext, tag, IV or header altered.
    case decryptionFailed
    /// The inflated payload would exceed the limit.
    case tooLarge(limit: Int)
    /// The signature does not verify with the key it names.
    case badSignature
    /// The signer's certificate does not chain to a trust anchor, or is not valid now.
    case untrustedSigner(String)
    /// The signer chains to a trust anchor but its certificate is not the gateway's signing
    /// profile: an agency (or anyone else the CA certified) signed it.
    case notGatewaySigner(String)
    /// The signer is trusted but is not the gateway the caller expects.
    case unexpectedSigner(String)
    /// The JWS names its signer by thumbprint and no signing certificate was given to find it.
    case signerNotGiven(String)
    case unsupportedKey(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "the envelope is not a well-formed JOSE object: \(why)"
        case .algorithmNotAllowed(let what): return "algorithm not allowed: \(what)"
        case .unsupportedCritical(let names): return "the envelope requires extensions Sluice does not support: \(names)"
        case .wrongKeyType(let why): return "the key does not fit the envelope: \(why)"
        case .decryptionFailed: return "decryption failed: the envelope is not for this key, or it was altered"
        case .tooLarge(let limit): return "the payload inflates beyond \(limit) bytes"
        case .badSignature: return "the signature does not verify: the package was altered or not signed by this key"
        case .untrustedSigner(let why): return "the signer is not trusted: \(why)"
        case .notGatewaySigner(let why): return "not signed by the gateway: \(why)"
        case .unexpectedSigner(let why): return "the envelope was signed by someone other than the expected gateway: \(why)"
        case .signerNotGiven(let why): return "the signer's certificate is needed: \(why)"
        case .unsupportedKey(let why): return "unsupported key: \(why)"
        }
    }
}
