/// Why a private key file could not be used, with what to do about it.
public enum KeyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Group or others may read the file; a gateway key must be the owner's alone.
    case readableByOthers(path: String, mode: UInt16)
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    /// Writing would replace a key that already exists; keys are never overwritten.
    case alreadyExists(path: String)

    public var description: String {
        switch self {
        case .readableByOthers(let path, let mode):
            return "\(path) is readable by other users (mode \(String(mode, radix: 8))); "
                + "run `chmod 600 \(path)` so only its owner can read it"
        case .missing(let path):
            return "\(path) does not exist; run `sluice init` to create the development keys"
        case .unreadable(let path, let reason):
            return "\(path) cannot be read: \(reason)"
        case .malformed(let path, let reason):
            return "\(path) is not a usable PEM private key: \(reason)"
        case .alreadyExists(let path):
            return "\(path) already exists; Sluice never overwrites a key"
        }
    }
}
