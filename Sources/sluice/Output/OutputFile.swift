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

    /// Writes `bytes` to `path` through a temporary file renamed into place.
    static func write(_ bytes: some Sequence<UInt8>, to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = underlying.map { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : $0.localizedDescription }
            throw CommandFailure.input("\(path) cannot be written: \(reason ?? error.localizedDescription)")
        }
    }
}
