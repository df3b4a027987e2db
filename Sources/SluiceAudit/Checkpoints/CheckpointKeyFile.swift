import Foundation
import SluiceCrypto

/// Where the gateway keeps the key that signs its checkpoints (private, in the data
/// directory, mode 0600) and the verifier key it publishes for partners and auditors
/// (public, beside the certificates).
public struct CheckpointKeyFile: Sendable {
    public let privatePath: String
    public let verifierPath: String

    public init(dataDirectory: String, certsDirectory: String) {
        privatePath = dataDirectory + "/keys/audit-checkpoint.key"
        verifierPath = certsDirectory + "/audit-checkpoint.vkey"
    }

    public func readSigner() throws -> NoteSignerKey {
        let data = try OwnerOnlyFile(path: privatePath).read()
        do {
            return try NoteSignerKey(String(decoding: data, as: UTF8.self))
        } catch {
            throw KeyFileError.malformed(path: privatePath, reason: "\(error)")
        }
    }

    public static func readVerifier(at path: String) throws -> NoteVerifierKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError.missing(path: path)
        }
        do {
            return try NoteVerifierKey(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw KeyFileError.malformed(path: path, reason: "\(error)")
        }
    }

    /// Creates the key for the log named `name` unless it exists, and (re)writes the
    /// public verifier key from it. Returns whether a new key was made.
    @discardableResult
    public func ensure(name: String) throws -> (signer: NoteSignerKey, created: Bool) {
        let file = OwnerOnlyFile(path: privatePath)
        let created = !file.exists
        if created { try file.create(Data((try NoteSignerKey.generate(name: name).text + "\n").utf8)) }
        let signer = try readSigner()
        let verifier = signer.verifier.description + "\n"
        if FileManager.default.contents(atPath: verifierPath) != Data(verifier.utf8) {
            try Data(verifier.utf8).write(to: URL(fileURLWithPath: verifierPath), options: .atomic)
        }
        return (signer, created)
    }
}
