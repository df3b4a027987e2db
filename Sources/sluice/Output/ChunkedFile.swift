import Foundation

/// Reads a file in fixed-size chunks, so memory stays flat however large it is.
enum ChunkedFile {
    static let chunkSize = 1 << 20

    static func read(_ path: String, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure.input("\(path) cannot be opened for reading")
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkSize) ?? Data() } catch {
                throw CommandFailure.input("\(path) cannot be read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { return }
            try body(chunk)
        }
    }
}

/// Where records go: standard output as they come, or a file that appears only when the
/// whole run succeeded (written to a temporary name, then renamed).
final class RecordSink {
    private let handle: FileHandle
    private let temporaryPath: String?
    private let finalPath: String?

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            temporaryPath = nil
            finalPath = nil
            return
        }
        // Masked records and exports are for their reader only: mode 0600 from the start.
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CommandFailure.input("\(path) cannot be written") }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        temporaryPath = temporary
        finalPath = path
    }

    func write(_ buffer: inout [UInt8]) throws {
        guard !buffer.isEmpty else { return }
        if temporaryPath == nil, TerminalText.standardOutputIsTerminal {
            try handle.write(contentsOf: Data(TerminalText.jsonSafe(String(decoding: buffer, as: UTF8.self)).utf8))
        } else {
            try handle.write(contentsOf: buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func commit() throws {
        guard let temporaryPath, let finalPath else { return }
        try handle.synchronize()
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: finalPath)
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
    }

    func discard() {
        guard let temporaryPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
