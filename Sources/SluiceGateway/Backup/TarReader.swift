/// Reads a ustar archive (``TarArchive``) as it arrives, a piece of any size at a time,
/// so that a backup of any size is unpacked in the memory of one piece: each member is
/// announced with its header, its bytes are handed on as they come, its end is announced.
/// Strict: every header is checked, nothing but zero bytes may follow the end, and an
/// archive that stops before its end blocks is truncated. Pure.
public struct TarReader {
    /// What the archive says, in order.
    public enum Event {
        case member(path: String, mode: Int, size: Int)
        case bytes(UnsafeRawBufferPointer)
        case memberEnd
    }

    private var header: [UInt8] = []
    /// Bytes of the current member still to come, then its padding.
    private var remaining = 0
    private var padding = 0
    private var ended = false
    /// Offset of the next byte in the archive, for errors.
    private(set) var offset = 0

    public init() {}

    /// Reads `piece`, calling `handle` with each event it completes.
    public mutating func read(_ piece: UnsafeRawBufferPointer, _ handle: (Event) throws -> Void) throws {
        var index = 0
        while index < piece.count {
            if ended {
                guard piece[index...].allSatisfy({ $0 == 0 }) else {
                    throw TarArchive.Failure("there are bytes after the archive's end (at byte \(offset + index))")
                }
                offset += piece.count
                return
            }
            if remaining > 0 {
                let count = min(remaining, piece.count - index)
                try handle(.bytes(UnsafeRawBufferPointer(rebasing: piece[index..<index + count])))
                remaining -= count
                index += count
                if remaining == 0 { try handle(.memberEnd) }
                continue
            }
            if padding > 0 {
                let count = min(padding, piece.count - index)
                padding -= count
                index += count
                continue
            }
            let count = min(TarArchive.blockSize - header.count, piece.count - index)
            header += piece[index..<index + count]
            index += count
            guard header.count == TarArchive.blockSize else { continue }
            let start = offset + index - TarArchive.blockSize
            defer { header.removeAll(keepingCapacity: true) }
            if header.allSatisfy({ $0 == 0 }) {
                ended = true
                continue
            }
            let member = try header.withUnsafeBytes { block in try TarArchive.member(fromHeader: block, at: start) }
            try handle(.member(path: member.path, mode: member.mode, size: member.size))
            remaining = member.size
            padding = TarArchive.padded(member.size) - member.size
            if member.size == 0 { try handle(.memberEnd) }
        }
        offset += piece.count
    }

    /// Called once all bytes were read: an archive without its end block is truncated.
    public func finish() throws(TarArchive.Failure) {
        guard ended else { throw TarArchive.Failure("the archive ends at byte \(offset), before its end: it is truncated") }
    }
}
