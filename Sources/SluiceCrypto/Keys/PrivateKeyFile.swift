import Foundation
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A PEM private key on disk, readable and writable by its owner only.
///
/// Reading refuses a file that group or others may read: a key that has been readable by
/// others must be considered disclosed. Writing creates the file with mode 0600 in one
/// step (no window in which it is readable) and never replaces an existing file.
public struct PrivateKeyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    public func read() throws(KeyFileError) -> Certificate.PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .readableByOthers(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw .unreadable(path: path, reason: "not readable as PEM text") }
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            throw .malformed(path: path, reason: "expected PKCS#8, SEC1 or PKCS#1 PEM")
        }
    }

    /// Writes the key as PKCS#8 PEM, creating missing folders with mode 0700.
    public func write(_ key: Certificate.PrivateKey) throws(KeyFileError) {
        let pem: String
        do { pem = try key.serializeAsPEM().pemString + "\n" } catch {
            throw .malformed(path: path, reason: "the key cannot be encoded as PEM")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .unreadable(path: folder, reason: "the folder cannot be created")
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .alreadyExists(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(pem.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw .unreadable(path: path, reason: "the key could not be written completely")
        }
    }
}
