import Foundation
import X509

/// A PEM private key on disk, readable and writable by its owner only (see
/// ``KeyFileError/readableByOthers(path:mode:)``); keys are never overwritten.
public struct PrivateKeyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var exists: Bool { OwnerOnlyFile(path: path).exists }

    /// Reads PKCS#8, SEC1 or PKCS#1 PEM.
    public func read() throws(KeyFileError) -> Certificate.PrivateKey {
        let data = try OwnerOnlyFile(path: path).read()
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(path: path, reason: "expected PKCS#8, SEC1 or PKCS#1 PEM")
        }
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            throw .malformed(path: path, reason: "expected PKCS#8, SEC1 or PKCS#1 PEM")
        }
    }

    /// Writes the key as PKCS#8 PEM.
    public func write(_ key: Certificate.PrivateKey) throws(KeyFileError) {
        let pem: String
        do { pem = try key.serializeAsPEM().pemString + "\n" } catch {
            throw .malformed(path: path, reason: "the key cannot be encoded as PEM")
        }
        try OwnerOnlyFile(path: path).create(Data(pem.utf8))
    }
}
