/// Where an agreement stands in its life. Only `active` agreements carry packages;
/// `revoked` is final.
public enum AgreementStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case active
    case suspended
    case revoked
}

/// What the gateway does with a submitted field that the whitelist does not name.
public enum UnlistedFieldPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Refuse the whole package, naming the offending fields.
    case reject
    /// Remove the fields and count them in the receipt.
    case drop
}

/// Which family of algorithms seals packages under an agreement.
public enum CryptoProfile: String, Sendable, Hashable, Codable, CaseIterable {
    /// Standard JOSE: ES256 or EdDSA signatures, ECDH-ES or RSA-OAEP key agreement, AES-GCM.
    case jose
    /// Chinese commercial cryptography: SM2 with SM3, SM4.
    case gm
}

/// How eagerly free-text scanning reports personal data.
public enum DetectionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only values that pass their check character, date and region checks.
    case strict
    /// Anything of the right shape, accepting over-masking of look-alike numbers.
    case cautious
}
