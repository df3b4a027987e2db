/// Why a national-algorithm operation failed. Messages name the operation, never a key
/// or a value.
public enum GMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A key of the wrong size or kind, a point off the curve, PEM that holds no SM2 key.
    case invalidKey(String)
    /// libcrypto refused the operation (a damaged ciphertext, a failed decryption).
    case operationFailed(String)

    public var description: String {
        switch self {
        case .invalidKey(let why): return "not a usable SM2/SM4 key: \(why)"
        case .operationFailed(let what): return "\(what) failed"
        }
    }
}
