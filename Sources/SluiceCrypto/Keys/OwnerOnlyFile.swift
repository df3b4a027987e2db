import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file only its owner may read: private keys and secrets.
///
/// Reading refuses a file that group or others may read, since such a secret must be
/// considered disclosed. Creating makes the file with mode 0600 in one step (no window
/// in which it is readable), syncs it, and never replaces an existing file.
public struct OwnerOnlyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    public func read() throws(KeyFileError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .readableByOthers(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        return data
    }

    /// Creates the file, and missing folders with mode 0700.
    public func create(_ contents: Data) throws(KeyFileError) {
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
        let written = contents.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw .unreadable(path: path, reason: "it could not be written completely")
        }
    }
}
