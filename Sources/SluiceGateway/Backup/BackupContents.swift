import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import X509

/// A backup opened and checked as a whole: decrypted with the backup key, its JWS
/// signed by a gateway signing certificate (``SignerCheck``) with the backup `typ`, its
/// archive well-formed, and every file the manifest lists present with its size and
/// SHA-256, nothing more. What the files say (the store's integrity, its audit trail) is
/// ``BackupRestore``'s to check.
public struct BackupContents: Sendable {
    public var manifest: BackupManifest
    public var files: [String: TarArchive.Member]
    public var signer: Certificate

    /// The checkpoint verifier keys the backup's certificates folder publishes (signed with
    /// the rest: as trustworthy as the backup's signature).
    public var publishedVerifiers: [NoteVerifierKey] {
        guard let file = files[BackupManifest.Place.certs + "audit-checkpoint.vkey"] else { return [] }
        return String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").compactMap { try? NoteVerifierKey(String($0)) }
    }

    /// The most a backup may inflate to unless the caller says otherwise.
    public static let defaultInflationLimit = 16 << 30

    public static func open(
        _ compact: String, key: DecryptionKey, signers: SignerCheck, inflationLimit: Int = defaultInflationLimit
    ) async throws -> BackupContents {
        let opener = EnvelopeOpener(key: key, trustAnchors: signers.trustAnchors, signers: signers.signers, inflationLimit: inflationLimit)
        let opened = try await opener.open(compact)
        guard opened.type == BackupWriter.type else {
            throw BackupError("this envelope is not a Sluice backup (its signed type is \(opened.type.map { "\"\($0)\"" } ?? "missing"))")
        }
        let archive: TarArchive
        do { archive = try TarArchive(decoding: opened.payload) } catch { throw BackupError("the backup's archive: \(error.description)") }
        guard let first = archive.members.first, first.path == BackupManifest.path,
            let manifest = try? JSONDecoder().decode(BackupManifest.self, from: first.bytes)
        else { throw BackupError("the backup's archive does not begin with a readable manifest") }
        guard manifest.format == BackupManifest.currentFormat else {
            throw BackupError("the backup is in format \"\(manifest.format)\", this version reads \(BackupManifest.currentFormat)")
        }
        var files: [String: TarArchive.Member] = [:]
        for member in archive.members.dropFirst() { files[member.path] = member }
        guard files.count == manifest.files.count else {
            throw BackupError("the backup's archive holds \(files.count) files, its manifest lists \(manifest.files.count)")
        }
        for listed in manifest.files {
            guard let member = files[listed.path] else { throw BackupError("\(listed.path), in the manifest, is missing from the archive") }
            guard member.bytes.count == listed.bytes, LowercaseHex.encode(SHA256.hash(data: member.bytes)) == listed.sha256 else {
                throw BackupError("\(listed.path) does not match its size and SHA-256 in the manifest")
            }
        }
        guard files[BackupManifest.Place.database] != nil else { throw BackupError("the backup holds no store snapshot") }
        return BackupContents(manifest: manifest, files: files, signer: opened.signer)
    }
}
