import Foundation

/// The POSIX ustar layout a backup's files are written in, so that once its parts are
/// decrypted (with any JOSE library) and joined, `tar -x` unpacks them: a 512-byte header
/// per member, its bytes padded to 512, two zero blocks at the end. Only regular files with
/// relative paths of plain components. Pure; ``TarReader`` reads it back a piece at a time.
public enum TarArchive {
    public static let blockSize = 512

    /// Why an archive could not be written or read, naming the member or block.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The header block of a member of `size` bytes.
    public static func header(path: String, mode: Int, size: Int, modifiedAt time: Date) throws(Failure) -> [UInt8] {
        try checkPath(path)
        var block = [UInt8](repeating: 0, count: blockSize)
        let bytes = Array(path.utf8)
        var name = bytes[...]
        var prefix: ArraySlice<UInt8> = []
        if bytes.count > 100 {
            // Split at a slash so the prefix holds at most 155 bytes and the name at most 100.
            guard let cut = bytes.indices.last(where: { bytes[$0] == UInt8(ascii: "/") && $0 <= 155 && bytes.count - $0 - 1 <= 100 }) else {
                throw Failure("\(path) is too long a path for the archive")
            }
            prefix = bytes[..<cut]
            name = bytes[(cut + 1)...]
        }
        guard size >= 0, size < 0o77777777777 else { throw Failure("\(path) is too large for the archive") }
        func put(_ field: some Collection<UInt8>, at offset: Int) { for (index, byte) in field.enumerated() { block[offset + index] = byte } }
        put(name, at: 0)
        put(octal(mode & 0o777, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(max(0, Int(time.timeIntervalSince1970)), width: 12), at: 136)
        put(Array("        ".utf8), at: 148)
        block[156] = UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        put(octal(block.reduce(0) { $0 + Int($1) }, width: 7) + [UInt8(ascii: " ")], at: 148)
        return block
    }

    /// What a header block says, checked: its checksum, a regular file, a path of plain
    /// components, readable size and mode.
    public static func member(fromHeader block: UnsafeRawBufferPointer, at offset: Int) throws(Failure) -> (path: String, mode: Int, size: Int) {
        let stored = number(block[148..<156])
        var sum = 0
        for (index, byte) in block.enumerated() { sum += 148..<156 ~= index ? 32 : Int(byte) }
        guard stored == sum else { throw Failure("the header at byte \(offset) has a wrong checksum: the archive was altered") }
        guard block[156] == UInt8(ascii: "0") || block[156] == 0 else { throw Failure("the member at byte \(offset) is not a regular file") }
        let name = text(block[0..<100])
        let prefix = text(block[345..<500])
        let path = prefix.isEmpty ? name : prefix + "/" + name
        try checkPath(path)
        guard let size = number(block[124..<136]), let mode = number(block[100..<108]) else {
            throw Failure("the header of \(path) is not readable")
        }
        return (path, mode & 0o777, size)
    }

    /// A relative path of plain components: no `..`, no empty or dot component, no
    /// leading `/`, no control character.
    static func checkPath(_ path: String) throws(Failure) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, path.utf8.count <= 255, !path.hasPrefix("/"),
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
            !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw Failure("the archive names a file outside its folder or with an unusable name") }
    }

    static func padded(_ count: Int) -> Int { (count + blockSize - 1) / blockSize * blockSize }

    /// Octal digits, zero-padded to `width - 1`, and a NUL.
    private static func octal(_ value: Int, width: Int) -> [UInt8] {
        let digits = String(value, radix: 8).utf8.suffix(width - 1)
        return [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits + [0]
    }

    private static func text(_ field: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func number(_ field: Slice<UnsafeRawBufferPointer>) -> Int? {
        let digits = field.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }.drop { $0 == UInt8(ascii: " ") }
        guard !digits.isEmpty, digits.count <= 11, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else {
            return digits.isEmpty ? 0 : nil
        }
        return digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
    }
}
