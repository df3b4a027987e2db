import Foundation

/// Files the gateway's state depends on (a restored store, a backup, the checkpoint kept
/// outside the store), written so that they are whole on disk before anyone relies on
/// them: synced, and put in place by a rename when they replace something.
enum DurableFile {
    /// Writes `buffers` in order at `path` (making its folders, owner-only), with `mode`,
    /// and syncs it; a new file unless `replacing`.
    static func write(_ buffers: [UnsafeRawBufferPointer], to path: String, mode: Int, replacing: Bool = false) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (replacing ? O_TRUNC : O_EXCL), mode_t(mode & 0o777))
        guard descriptor >= 0 else { throw BackupError("\(path) cannot be created: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        for buffer in buffers {
            var written = 0
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                guard count > 0 else { throw BackupError("\(path) cannot be written: \(String(cString: strerror(errno)))") }
                written += count
            }
        }
        guard fsync(descriptor) == 0 else { throw BackupError("\(path) cannot be made durable: \(String(cString: strerror(errno)))") }
    }

    static func write(_ bytes: Data, to path: some StringProtocol, mode: Int, replacing: Bool = false) throws {
        try bytes.withUnsafeBytes { buffer in try write([buffer], to: String(path), mode: mode, replacing: replacing) }
    }

    /// Replaces `path` with `text` and a newline, through a temporary file renamed into
    /// place; the text is written from its own storage (a backup is gigabytes).
    static func replace(_ path: String, withLine text: String, mode: Int) throws {
        var text = text
        let newline: [UInt8] = [0x0A]
        let temporary = path + ".partial"
        try text.withUTF8 { utf8 in
            try newline.withUnsafeBytes { end in try write([UnsafeRawBufferPointer(utf8), end], to: temporary, mode: mode, replacing: true) }
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BackupError("\(path) cannot be replaced: \(String(cString: strerror(errno)))")
        }
    }

    /// Renames a staged folder to `target` (an empty target is removed first) and syncs
    /// the parent folder, so the rename itself survives a crash.
    static func move(_ staging: String, to target: String) throws {
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        let parent = ((target as NSString).standardizingPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        guard rename(staging, target) == 0 else { throw BackupError("\(staging) cannot become \(target): \(String(cString: strerror(errno)))") }
        let folder = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
