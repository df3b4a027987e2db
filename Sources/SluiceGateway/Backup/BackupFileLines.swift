import Foundation

/// A backup file read as the lines its manifest names: the last line found from the end,
/// every other read at the offset and length the manifest gives, so that nothing but what
/// is asked for is ever held in memory, and an over-long line is never read.
struct BackupFileLines {
    let path: String
    private let descriptor: Int32
    let size: Int

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupError("\(path) cannot be read: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            Foundation.close(descriptor)
            throw BackupError("\(path) is not a readable file")
        }
        size = Int(status.st_size)
    }

    func close() { Foundation.close(descriptor) }

    /// The file's last line (without its newline) and the offset it starts at. A file that
    /// does not end with a newline was cut short.
    func lastLine(atMost limit: Int) throws -> (String, Int) {
        guard size > 1, try read(at: size - 1, count: 1) == Data([0x0A]) else {
            throw BackupError("\(path) does not end with a complete line: it is truncated, or not a backup")
        }
        var start = size - 1
        var found = false
        let step = 64 << 10
        while start > 0, !found, size - 1 - start < limit {
            let from = max(0, start - step)
            let block = try read(at: from, count: start - from)
            if let newline = block.lastIndex(of: 0x0A) {
                start = from + (newline - block.startIndex) + 1
                found = true
            } else {
                start = from
            }
        }
        guard size - 1 - start <= limit else { throw BackupError("\(path) ends with a line longer than a backup's manifest can be") }
        return (String(decoding: try read(at: start, count: size - 1 - start), as: UTF8.self), start)
    }

    /// The line of `bytes` bytes at `offset`, which must be followed by a newline.
    func line(at offset: Int, bytes: Int) throws -> Data {
        var data = try read(at: offset, count: bytes + 1)
        guard data.last == 0x0A else { throw BackupError("\(path) is not laid out as its manifest says: it was altered") }
        data.removeLast()
        return data
    }

    private func read(at offset: Int, count: Int) throws -> Data {
        guard offset >= 0, count >= 0, offset + count <= size else { throw BackupError("\(path) is shorter than its manifest says: it is truncated") }
        var data = Data(count: count)
        var done = 0
        try data.withUnsafeMutableBytes { buffer in
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                guard got > 0 else { throw BackupError("\(path) cannot be read: \(String(cString: strerror(errno)))") }
                done += got
            }
        }
        return data
    }
}
