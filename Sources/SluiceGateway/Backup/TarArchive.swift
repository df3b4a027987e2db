import Foundation

/// The files of a backup as one POSIX ustar archive, so that once the envelope is opened
/// (with any JOSE library) `tar -x` unpacks it. Only regular files with relative paths are
/// written or read; reading is strict: every header's checksum, type, name and size is
/// checked, and nothing outside the archive's own folder can be named. Pure.
public struct TarArchive: Sendable {
    /// One file: a relative path, its mode bits and its bytes.
    public struct Member: Sendable, Hashable {
        public var path: String
        public var mode: Int
        public var bytes: Data

        public init(path: String, mode: Int, bytes: Data) {
            self.path = path
            self.mode = mode
            self.bytes = bytes
        }
    }

    public var members: [Member]

    public init(members: [Member]) { self.members = members }

    /// Why an archive could not be written or read, naming the member or block.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The archive's bytes: a header and the padded contents per member, two zero blocks.
    public func encoded(modifiedAt time: Date) throws(Failure) -> Data {
        var out = Data()
        out.reserveCapacity(members.reduce(1024) { $0 + 512 + Self.padded($1.bytes.count) })
        for member in members {
            try Self.checkPath(member.path)
            out += try Self.header(for: member, time: time)
            out += member.bytes
            out += Data(count: Self.padded(member.bytes.count) - member.bytes.count)
        }
        out += Data(count: 1024)
        return out
    }

    /// Reads what ``encoded(modifiedAt:)`` wrote (or any ustar of regular files). Members'
    /// bytes are slices of `data`, not copies.
    public init(decoding data: Data) throws(Failure) {
        var members: [Member] = []
        var offset = 0
        let base = data.startIndex
        while true {
            guard offset + 512 <= data.count else { throw Failure("the archive ends inside a header (at byte \(offset)): it is truncated") }
            let block = [UInt8](data[base + offset..<base + offset + 512])
            if block.allSatisfy({ $0 == 0 }) { break }
            let stored = Self.octal(block[148..<156])
            let sum = block.enumerated().reduce(0) { $0 + (148..<156 ~= $1.offset ? 32 : Int($1.element)) }
            guard stored == sum else { throw Failure("the header at byte \(offset) has a wrong checksum: the archive was altered") }
            guard block[156] == UInt8(ascii: "0") || block[156] == 0 else {
                throw Failure("the member at byte \(offset) is not a regular file")
            }
            let name = Self.text(block[0..<100])
            let prefix = Self.text(block[345..<500])
            let path = prefix.isEmpty ? name : prefix + "/" + name
            try Self.checkPath(path)
            guard let size = Self.octal(block[124..<136]), let mode = Self.octal(block[100..<108]) else {
                throw Failure("the header of \(path) is not readable")
            }
            let start = offset + 512
            guard start + size <= data.count else { throw Failure("\(path) is cut short: the archive is truncated") }
            members.append(Member(path: path, mode: mode & 0o777, bytes: data[base + start..<base + start + size]))
            offset = start + Self.padded(size)
        }
        guard Set(members.map(\.path)).count == members.count else { throw Failure("the archive names a file twice") }
        self.members = members
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

    static func padded(_ count: Int) -> Int { (count + 511) / 512 * 512 }

    private static func header(for member: Member, time: Date) throws(Failure) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        let path = Array(member.path.utf8)
        var name = path[...]
        var prefix: ArraySlice<UInt8> = []
        if path.count > 100 {
            // Split at a slash so the prefix holds at most 155 bytes and the name at most 100.
            guard let cut = path.indices.last(where: { path[$0] == UInt8(ascii: "/") && $0 <= 155 && path.count - $0 - 1 <= 100 }) else {
                throw Failure("\(member.path) is too long a path for the archive")
            }
            prefix = path[..<cut]
            name = path[(cut + 1)...]
        }
        func put(_ bytes: some Collection<UInt8>, at offset: Int) { for (index, byte) in bytes.enumerated() { block[offset + index] = byte } }
        func octal(_ value: Int, width: Int) -> [UInt8] { Array(String(String(value, radix: 8).suffix(width - 1)).leftPadded(width - 1).utf8) + [0] }
        put(name, at: 0)
        put(octal(member.mode & 0o777, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        guard member.bytes.count < 0o77777777777 else { throw Failure("\(member.path) is too large for the archive") }
        put(octal(member.bytes.count, width: 12), at: 124)
        put(octal(max(0, Int(time.timeIntervalSince1970)), width: 12), at: 136)
        put(Array("        ".utf8), at: 148)
        block[156] = UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(Array(String(String(sum, radix: 8)).leftPadded(6).utf8) + [0, UInt8(ascii: " ")], at: 148)
        return Data(block)
    }

    private static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        let digits = field.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }.drop { $0 == UInt8(ascii: " ") }
        guard !digits.isEmpty, digits.count <= 11, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else {
            return digits.isEmpty ? 0 : nil
        }
        return digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
