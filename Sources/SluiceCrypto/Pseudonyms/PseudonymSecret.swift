import Crypto
import Foundation

/// The gateway's secret from which each agreement's pseudonym key is derived. Held in
/// the data directory (`keys/pseudonym.secret`, mode 0600), never sent anywhere.
public struct PseudonymSecret: Sendable {
    let key: SymmetricKey

    public init(bytes: some ContiguousBytes) {
        key = SymmetricKey(data: bytes)
    }

    /// A fresh random secret, for previews run without a gateway's data directory.
    public static func random() -> PseudonymSecret {
        PseudonymSecret(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// A key for another of the gateway's own uses (HKDF, the purpose as its info), so
    /// that one secret serves them without one key doing two jobs.
    public func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: Data("sluice derived key".utf8), info: Data(purpose.utf8), outputByteCount: 32)
    }

    public static func path(inDataDirectory directory: String) -> String { directory + "/keys/pseudonym.secret" }

    public static func read(from path: String) throws(KeyFileError) -> PseudonymSecret {
        let data = try OwnerOnlyFile(path: path).read()
        guard let text = String(data: data, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else { throw .malformed(path: path, reason: "expected 32 bytes in base64") }
        return PseudonymSecret(bytes: bytes)
    }

    /// Reads the secret, creating it first if the file does not exist.
    public static func ensure(at path: String) throws(KeyFileError) -> (secret: PseudonymSecret, created: Bool) {
        let file = OwnerOnlyFile(path: path)
        if file.exists { return (try read(from: path), false) }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try file.create(Data((bytes.base64EncodedString() + "\n").utf8))
        return (PseudonymSecret(bytes: bytes), true)
    }
}
