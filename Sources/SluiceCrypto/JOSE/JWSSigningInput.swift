import Crypto
import Foundation

/// A JWS signing input (`header.payload` in base64url) taken piece by piece. ECDSA signs
/// a digest, so the pieces are hashed as they come and never held; Ed25519 signs the
/// message itself (RFC 8032 hashes it twice), so for it they are kept.
struct JWSSigningInput {
    private enum State {
        case sha256(SHA256)
        case sha384(SHA384)
        case whole([UInt8])
    }

    private var state: State

    init(for key: SigningKey) {
        switch key {
        case .p256: state = .sha256(SHA256())
        case .p384: state = .sha384(SHA384())
        case .ed25519: state = .whole([])
        }
    }

    mutating func update(_ piece: UnsafeRawBufferPointer) {
        switch state {
        case .sha256(var hash):
            hash.update(bufferPointer: piece)
            state = .sha256(hash)
        case .sha384(var hash):
            hash.update(bufferPointer: piece)
            state = .sha384(hash)
        case .whole(var bytes):
            state = .whole([])  // releases the array so the append below does not copy it
            bytes.append(contentsOf: piece)
            state = .whole(bytes)
        }
    }

    /// The signature in JOSE form, by `key` (the one this input was made for).
    func signature(with key: SigningKey) throws -> Data {
        switch (state, key) {
        case (.sha256(let hash), .p256(let key)): return try key.signature(for: hash.finalize()).rawRepresentation
        case (.sha384(let hash), .p384(let key)): return try key.signature(for: hash.finalize()).rawRepresentation
        case (.whole(let bytes), .ed25519(let key)): return try key.signature(for: bytes)
        default: throw JOSEError.unsupportedKey("the signing input was made for another kind of key")
        }
    }
}
