import Foundation

/// A file a command writes whole, at its end (an envelope, a receipt, opened records).
/// Its place is checked before the command does any work, so a mistyped path costs
/// nothing and changes nothing — no package is submitted without somewhere to keep its
/// receipt — and it is written atomically: complete, or not at all.
enum OutputFile {
    /// Fails with an input error (exit 2) unless `path` can be created or replaced.
    static func checkWritable(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure.input("\(path) cannot be written: there is no folder \(folder)")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandFailure.input("\(path) cannot be written: it is a folder")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw CommandFailure.input("\(path) cannot be written: the folder \(folder) is not writable")
        }
    }

    /// Writes `bytes` to `path` through a temporary file renamed into place. With
    /// `ownerOnly` (decrypted records, fetched packages) the file is created with mode 0600
    /// from its first byte, never readable by others even for a moment.
    static func write(_ bytes: some Sequence<UInt8>, to path: String, ownerOnly: Bool = false) throws {
        let data = Data(bytes)
        try data.withUnsafeBytes { buffer in try write([buffer], to: path, ownerOnly: ownerOnly) }
    }

    /// The same for text, written from its own storage (a backup's text is gigabytes:
    /// no copy of it is made), with a final newline.
    static func write(line text: String, to path: String, ownerOnly: Bool = false) throws {
        var text = text
        let newline: [UInt8] = [0x0A]
        try text.withUTF8 { buffer in
            try newline.withUnsafeBytes { end in try write([UnsafeRawBufferPointer(buffer), end], to: path, ownerOnly: ownerOnly) }
        }
    }

    private static func write(_ buffers: [UnsafeRawBufferPointer], to path: String, ownerOnly: Bool) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, ownerOnly ? 0o600 : 0o644)
        guard descriptor >= 0 else { throw CommandFailure.input("\(path) cannot be written: \(String(cString: strerror(errno)))") }
        let failure: Int32? = {
            for buffer in buffers {
                var written = 0
                while written < buffer.count {
                    let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                    if count < 0 { return errno }
                    written += count
                }
            }
            return fsync(descriptor) == 0 ? nil : errno
        }()
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw CommandFailure.input("\(path) cannot be written: \(String(cString: strerror(failure)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandFailure.input("\(path) cannot be written: \(reason)")
        }
    }
}
