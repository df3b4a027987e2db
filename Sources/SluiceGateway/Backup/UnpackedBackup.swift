import Crypto
import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import X509

/// A backup file opened, checked and unpacked into a folder of its own. In order: the last
/// line is decrypted with the backup key and its JWS checked (a gateway signing certificate,
/// ``SignerCheck``, and the backup `typ`), giving the manifest; the file's layout must be
/// the manifest's; then each part in turn is read, its SHA-256 compared with the manifest's
/// before anything in it is decrypted or inflated, decrypted, and its archive bytes unpacked
/// (``TarReader``) into the folder, every file checked against its size and SHA-256. Only
/// what the gateway signed is ever decrypted, and memory is that of one part. What the
/// files say (the store's integrity, its audit trail) is ``BackupRestore``'s to check.
public struct UnpackedBackup: Sendable {
    public var manifest: BackupManifest
    public var signer: Certificate
    /// Holds `data/`, `certs/` and `config/` as the archive names them.
    public var folder: String

    public var databasePath: String { folder + "/" + BackupManifest.Place.database }

    /// The checkpoint verifier keys the backup's certificates folder publishes (signed with
    /// the rest: as trustworthy as the backup's signature).
    public var publishedVerifiers: [NoteVerifierKey] {
        guard let text = try? String(contentsOfFile: folder + "/" + BackupManifest.Place.certs + "audit-checkpoint.vkey", encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { try? NoteVerifierKey(String($0)) }
    }

    /// The most archive bytes a backup may hold unless the caller says otherwise.
    public static let defaultSizeLimit = 64 << 30
    /// The largest part and manifest a reader accepts.
    static let largestPart = 64 << 20
    static let largestManifestLine = 64 << 20

    /// Unpacks the backup at `path` into `folder`, which must not exist; on any failure the
    /// folder is removed again.
    public static func unpack(
        _ path: String, into folder: String, key: DecryptionKey, signers: SignerCheck, sizeLimit: Int = defaultSizeLimit,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> UnpackedBackup {
        let file = try BackupFileLines(path: path)
        defer { file.close() }
        let (manifestLine, manifestOffset) = try file.lastLine(atMost: largestManifestLine)
        let opener = EnvelopeOpener(key: key, trustAnchors: signers.trustAnchors, signers: signers.signers, inflationLimit: largestManifestLine)
        let opened = try await opener.open(manifestLine)
        guard opened.type == BackupWriter.type else {
            throw BackupError("this file is not a Sluice backup (its signed type is \(opened.type.map { "\"\($0)\"" } ?? "missing"))")
        }
        guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: opened.payload) else {
            if opened.payload.count > 262,
                opened.payload[opened.payload.startIndex + 257..<opened.payload.startIndex + 262].elementsEqual("ustar".utf8)
            {
                throw BackupError(
                    "the backup was made by an earlier version of Sluice (format sluice-backup/1, one line), which this version does not read")
            }
            throw BackupError("the backup's signed manifest is not readable")
        }
        guard manifest.format == BackupManifest.currentFormat else {
            throw BackupError("the backup is in format \"\(manifest.format)\", this version reads \(BackupManifest.currentFormat)")
        }
        try check(manifest, manifestOffset: manifestOffset, sizeLimit: sizeLimit)

        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError("\(folder) cannot be created to unpack into: its folder must exist, be writable and have room for the store")
        }
        var sink = UnpackingSink(folder: folder, files: manifest.files)
        do {
            var reader = TarReader()
            var archiveHash = SHA256()
            var offset = 0
            var done = 0
            for (index, part) in manifest.archive.parts.enumerated() {
                let name = "part \(index + 1) of \(manifest.archive.parts.count)"
                let line = try file.line(at: offset, bytes: part.bytes)
                offset += part.bytes + 1
                guard LowercaseHex.encode(SHA256.hash(data: line)) == part.sha256 else {
                    throw BackupError("\(name) is not the one the backup's manifest names: the file was altered or its parts mixed")
                }
                let (header, plaintext) = try CompactJWE.decrypt(
                    String(decoding: line, as: UTF8.self), with: key, inflationLimit: manifest.archive.partBytes)
                let expected = index < manifest.archive.parts.count - 1 ? manifest.archive.partBytes : manifest.archive.bytes - done
                guard header["cty"] as? String == BackupFileWriter.partType, plaintext.count == expected else {
                    throw BackupError("\(name) does not hold the archive bytes the manifest says")
                }
                archiveHash.update(data: plaintext)
                try plaintext.withUnsafeBytes { bytes in try reader.read(bytes) { try sink.handle($0) } }
                done += plaintext.count
                progress(done, manifest.archive.bytes)
            }
            try reader.finish()
            guard LowercaseHex.encode(archiveHash.finalize()) == manifest.archive.sha256 else {
                throw BackupError("the archive's SHA-256 is not the manifest's")
            }
            try sink.finish()
            return UnpackedBackup(manifest: manifest, signer: opened.signer, folder: folder)
        } catch {
            sink.abandon()
            try? FileManager.default.removeItem(atPath: folder)
            if let failure = error as? TarArchive.Failure { throw BackupError("the backup's archive: \(failure.description)") }
            throw error
        }
    }

    /// The manifest's own sense, and the file laid out as it says: its parts' lines, then
    /// the manifest's, nothing else.
    static func check(_ manifest: BackupManifest, manifestOffset: Int, sizeLimit: Int) throws {
        let archive = manifest.archive
        guard archive.partBytes > 0, archive.partBytes <= largestPart, archive.bytes >= 0 else {
            throw BackupError("the backup's manifest names parts of \(archive.partBytes) bytes, which this version does not read")
        }
        guard archive.bytes <= sizeLimit else {
            throw BackupError("the backup's archive holds \(archive.bytes) bytes, more than the \(sizeLimit) allowed (--max-bytes)")
        }
        guard !archive.parts.isEmpty, archive.parts.count == max(1, (archive.bytes + archive.partBytes - 1) / archive.partBytes) else {
            throw BackupError("the backup's manifest lists \(archive.parts.count) parts for an archive of \(archive.bytes) bytes")
        }
        var layout = 0
        for part in archive.parts {
            guard part.bytes > 0, part.bytes <= archive.partBytes * 3 / 2 + (64 << 10) else {
                throw BackupError("the backup's manifest names a part line of \(part.bytes) bytes")
            }
            layout += part.bytes + 1
        }
        guard layout == manifestOffset else {
            throw BackupError("the backup file's parts are not those its manifest lists: it was truncated, extended or altered")
        }
        var paths = Set<String>()
        for listed in manifest.files {
            do { try TarArchive.checkPath(listed.path) } catch { throw BackupError("the backup's manifest names an unusable path") }
            guard listed.bytes >= 0, paths.insert(listed.path).inserted else { throw BackupError("the backup's manifest lists \(listed.path) twice") }
        }
        guard paths.contains(BackupManifest.Place.database) else { throw BackupError("the backup holds no store snapshot") }
    }
}

/// Writes the archive's members into the unpacking folder, each one checked against the
/// manifest's entry as it arrives.
private struct UnpackingSink {
    let folder: String
    var expected: [String: BackupManifest.File]
    var current: (file: BackupManifest.File, descriptor: Int32, hash: SHA256)?

    init(folder: String, files: [BackupManifest.File]) {
        self.folder = folder
        expected = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func handle(_ event: TarReader.Event) throws {
        switch event {
        case .member(let path, _, let size):
            guard let listed = expected.removeValue(forKey: path) else {
                throw BackupError("the backup's archive holds a file its manifest does not list, or holds one twice")
            }
            guard listed.bytes == size else { throw BackupError("\(path) in the archive is not the size its manifest says") }
            let target = folder + "/" + path
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Owner-only whatever the archive says for the store and the keys.
            let mode: mode_t = path.hasPrefix("data/") ? 0o600 : 0o644
            let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
            guard descriptor >= 0 else { throw BackupError("\(target) cannot be written: \(String(cString: strerror(errno)))") }
            current = (listed, descriptor, SHA256())
        case .bytes(let bytes):
            guard var member = current else { return }
            member.hash.update(bufferPointer: bytes)
            var written = 0
            while written < bytes.count {
                let count = write(member.descriptor, bytes.baseAddress! + written, bytes.count - written)
                guard count > 0 else { throw BackupError("\(folder) cannot be written: \(String(cString: strerror(errno)))") }
                written += count
            }
            current = member
        case .memberEnd:
            guard let member = current else { return }
            current = nil
            let synced = fsync(member.descriptor) == 0
            close(member.descriptor)
            guard synced else { throw BackupError("\(folder) cannot be made durable: \(String(cString: strerror(errno)))") }
            guard LowercaseHex.encode(member.hash.finalize()) == member.file.sha256 else {
                throw BackupError("\(member.file.path) does not match its SHA-256 in the manifest")
            }
        }
    }

    /// Closes the file being written, when the unpacking failed.
    mutating func abandon() {
        if let member = current { close(member.descriptor) }
        current = nil
    }

    func finish() throws {
        if let missing = expected.keys.sorted().first { throw BackupError("\(missing), in the manifest, is missing from the archive") }
    }
}
