/// Which family of algorithms seals packages under an agreement.
public enum CryptoProfile: String, Sendable, Hashable, Codable, CaseIterable {
    /// Standard JOSE: ES256 or EdDSA signatures, ECDH-ES or RSA-OAEP key agreement, AES-GCM.
    case jose
    /// Chinese commercial cryptography: SM2 with SM3, SM4.
    case gm
}
