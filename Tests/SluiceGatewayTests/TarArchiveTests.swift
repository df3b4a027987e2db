import Foundation
import Testing

@testable import SluiceGateway

/// The backup's archive: written as ustar, read strictly a piece at a time, never naming a
/// place outside.
@Suite struct TarArchiveTests {
    let time = Date(timeIntervalSince1970: 1_800_000_000)

    struct Member: Equatable {
        var path: String
        var mode: Int
        var bytes: [UInt8]
    }

    func encoded(_ members: [Member]) throws -> [UInt8] {
        var out: [UInt8] = []
        for member in members {
            out += try TarArchive.header(path: member.path, mode: member.mode, size: member.bytes.count, modifiedAt: time)
            out += member.bytes + [UInt8](repeating: 0, count: TarArchive.padded(member.bytes.count) - member.bytes.count)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    /// Reads `bytes` in pieces of `size`, as the parts of a backup arrive.
    func read(_ bytes: [UInt8], inPiecesOf size: Int) throws -> [Member] {
        var reader = TarReader()
        var members: [Member] = []
        var ended = 0
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            try bytes[start..<end].withUnsafeBytes { piece in
                try reader.read(piece) { event in
                    switch event {
                    case .member(let path, let mode, _): members.append(Member(path: path, mode: mode, bytes: []))
                    case .bytes(let bytes): members[members.count - 1].bytes += bytes
                    case .memberEnd: ended += 1
                    }
                }
            }
            start = end
        }
        try reader.finish()
        #expect(ended == members.count)
        return members
    }

    @Test(arguments: [1, 7, 511, 512, 513, 4096, 1 << 20])
    func membersRoundTripInPiecesOfAnySize(piece: Int) throws {
        let long = String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 80) + ".pem"
        let members = [
            Member(path: "data/sluice.sqlite", mode: 0o600, bytes: (0..<5000).map { UInt8($0 % 251) }),
            Member(path: "data/keys/gateway-signing.key.pem", mode: 0o600, bytes: [UInt8](repeating: 0x41, count: 1500)),
            Member(path: "certs/empty", mode: 0o644, bytes: []),
            Member(path: long, mode: 0o644, bytes: Array("x".utf8)),
        ]
        let bytes = try encoded(members)
        #expect(bytes.count % 512 == 0)
        #expect(try read(bytes, inPiecesOf: piece) == members)
    }

    @Test(arguments: ["../escape", "/etc/passwd", "a/../../b", "a//b", "./a", "", "a/\u{7}b"])
    func pathsOutsideTheArchiveAreRefused(path: String) {
        #expect(throws: TarArchive.Failure.self) { _ = try TarArchive.header(path: path, mode: 0o644, size: 0, modifiedAt: time) }
    }

    @Test func alteredTruncatedAndExtendedArchivesAreRefused() throws {
        let bytes = try encoded([Member(path: "a", mode: 0o644, bytes: [UInt8](repeating: 1, count: 700))])
        var altered = bytes
        altered[10] ^= 0x01
        #expect(throws: TarArchive.Failure.self) { _ = try read(altered, inPiecesOf: 100) }
        // Cut inside the member, inside the padding, and before the end blocks.
        for cut in [900, 1300, 1536] {
            #expect(throws: TarArchive.Failure.self, "cut at \(cut)") { _ = try read(Array(bytes.prefix(cut)), inPiecesOf: 100) }
        }
        #expect(throws: TarArchive.Failure.self) { _ = try read(bytes + [0, 0, 7], inPiecesOf: 100) }
        #expect(try read(bytes + [UInt8](repeating: 0, count: 512), inPiecesOf: 100).count == 1)
    }

    /// A header rewritten (checksum included) to name a path outside: refused on reading.
    @Test func aCraftedHeaderNamingAParentFolderIsRefused() throws {
        var bytes = try encoded([Member(path: "aaaaaaaa", mode: 0o644, bytes: Array("x".utf8))])
        for (index, byte) in Array("../../x\0".utf8).enumerated() { bytes[index] = byte }
        for index in 148..<156 { bytes[index] = 0x20 }
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        for (index, byte) in Array(String(String(sum, radix: 8)).utf8).enumerated() { bytes[148 + index] = byte }
        bytes[148 + String(sum, radix: 8).count] = 0
        #expect {
            _ = try read(bytes, inPiecesOf: 512)
        } throws: { error in
            (error as? TarArchive.Failure)?.description.contains("outside its folder") == true
        }
    }
}
