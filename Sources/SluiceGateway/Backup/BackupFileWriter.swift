import Crypto
import Foundation
import SluiceCore
import SluiceCrypto

/// Writes a backup file as its archive is produced, in the memory of one part: the archive's
/// bytes are gathered into parts of `partBytes`, each deflated and encrypted to the backup
/// certificate as one compact JWE on a line of its own (`cty` ``partType``); the manifest,
/// which lists every line's SHA-256, is signed and sealed as the last line. The file is
/// written beside its place and renamed there once synced: a failed backup leaves nothing
/// that looks like one.
struct BackupFileWriter {
    /// The most archive bytes in one part unless told otherwise: a reader holds one part
    /// (and its line) at a time.
    static let defaultPartBytes = 8 << 20
    /// The JWE `cty` of a part.
    static let partType = "sluice-backup-part"

    let path: String
    let partBytes: Int
    private let temporary: String
    private let descriptor: Int32
    private let recipient: JWERecipient
    private var buffer = Data()
    private var archiveHash = SHA256()
    private(set) var archiveBytes = 0
    private(set) var parts: [BackupManifest.Part] = []
    private(set) var fileBytes = 0
    private var finished = false

    init(path: String, recipient: JWERecipient, mode: Int, partBytes: Int = defaultPartBytes) throws {
        self.path = path
        self.partBytes = partBytes
        self.recipient = recipient
        temporary = path + ".partial"
        unlink(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode & 0o777))
        guard descriptor >= 0 else { throw BackupError("\(path) cannot be written: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(partBytes)
    }

    /// Adds archive bytes; a full part is sealed and written at once.
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        archiveHash.update(bufferPointer: bytes)
        archiveBytes += bytes.count
        var index = 0
        while index < bytes.count {
            let count = min(partBytes - buffer.count, bytes.count - index)
            buffer.append(contentsOf: bytes[index..<index + count])
            index += count
            if buffer.count == partBytes { try writePart() }
        }
    }

    mutating func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// The archive's size, SHA-256 and parts, once the last part is written.
    mutating func finishArchive() throws -> BackupManifest.Archive {
        if !buffer.isEmpty || parts.isEmpty { try writePart() }
        return BackupManifest.Archive(
            bytes: archiveBytes, sha256: LowercaseHex.encode(archiveHash.finalize()), partBytes: partBytes, parts: parts)
    }

    /// Writes the sealed manifest as the last line, syncs, and renames the file into place.
    mutating func finish(manifestLine: String) throws {
        try writeLine(manifestLine)
        guard fsync(descriptor) == 0 else { throw BackupError("\(path) cannot be made durable: \(String(cString: strerror(errno)))") }
        close(descriptor)
        finished = true
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BackupError("\(path) cannot be put in place: \(String(cString: strerror(errno)))")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes what was written, when the backup failed.
    func abandon() {
        guard !finished else { return }
        close(descriptor)
        unlink(temporary)
    }

    private mutating func writePart() throws {
        var line = try CompactJWE.encryptedParts(buffer, to: recipient, contentType: Self.partType, compress: true).compact
        buffer.removeAll(keepingCapacity: true)
        let digest = line.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        parts.append(BackupManifest.Part(bytes: line.utf8.count, sha256: LowercaseHex.encode(digest)))
        try writeLine(line)
    }

    private mutating func writeLine(_ line: String) throws {
        var line = line
        try line.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
        try [UInt8(ascii: "\n")].withUnsafeBytes { try write($0) }
    }

    private mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            guard count > 0 else { throw BackupError("\(path) cannot be written: \(String(cString: strerror(errno)))") }
            written += count
        }
        fileBytes += bytes.count
    }
}
