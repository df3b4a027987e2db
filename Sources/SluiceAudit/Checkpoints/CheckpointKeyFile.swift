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

    /// The first (current) verifier key of a published key file.
    public static func readVerifier(at path: String) throws -> NoteVerifierKey {
        try readVerifiers(at: path)[0]
    }

    /// Every verifier key of a published key file, one per line, the current one first
    /// and then those it replaced, so checkpoints signed before a rotation still verify.
    public static func readVerifiers(at path: String) throws -> [NoteVerifierKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError.missing(path: path)
        }
        do {
            let keys = try String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
                .map { try NoteVerifierKey($0) }
            guard !keys.isEmpty else { throw NoteError.malformed("no verifier key in the file") }
            return keys
        } catch {
            throw KeyFileError.malformed(path: path, reason: "\(error)")
        }
    }

    /// Publishes `current` first in the verifier file, keeping the keys it replaced.
    public func publish(_ current: NoteVerifierKey) throws {
        let earlier = (try? Self.readVerifiers(at: verifierPath)) ?? []
        let lines = ([current] + earlier.filter { $0.description != current.description }).map(\.description)
        let text = lines.joined(separator: "\n") + "\n"
        if FileManager.default.contents(atPath: verifierPath) != Data(text.utf8) {
            try Data(text.utf8).write(to: URL(fileURLWithPath: verifierPath), options: .atomic)
        }
    }

    /// Replaces the private key file with `key` atomically (written beside it with mode
    /// 0600 and synced, then renamed over it), so a crash leaves the old key or the new.
    public func install(_ key: NoteSignerKey) throws {
        let staging = OwnerOnlyFile(path: privatePath + ".next")
        if staging.exists { try FileManager.default.removeItem(atPath: staging.path) }
        try staging.create(Data((key.text + "\n").utf8))
        guard rename(staging.path, privatePath) == 0 else {
            throw KeyFileError.unreadable(path: privatePath, reason: String(cString: strerror(errno)))
        }
    }

    /// Creates the key for the log named `name` unless it exists, and publishes its
    /// verifier key first in the verifier file (keeping earlier, rotated keys). Returns whether a new key was made.
    @discardableResult
    public func ensure(name: String) throws -> (signer: NoteSignerKey, created: Bool) {
        let file = OwnerOnlyFile(path: privatePath)
        let created = !file.exists
        if created { try file.create(Data((try NoteSignerKey.generate(name: name).text + "\n").utf8)) }
        let signer = try readSigner()
        try publish(signer.verifier)
        return (signer, created)
    }
}
