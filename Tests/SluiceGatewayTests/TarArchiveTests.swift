import Foundation
import Testing

@testable import SluiceGateway

/// The backup's archive: written as ustar, read strictly, never naming a place outside.
@Suite struct TarArchiveTests {
    let time = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func membersRoundTripIncludingLongPathsAndEmptyFiles() throws {
        let long = String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 80) + ".pem"
        let archive = TarArchive(members: [
            .init(path: "manifest.json", mode: 0o644, bytes: Data("{}".utf8)),
            .init(path: "data/keys/gateway-signing.key.pem", mode: 0o600, bytes: Data(repeating: 0x41, count: 1500)),
            .init(path: "certs/empty", mode: 0o644, bytes: Data()),
            .init(path: long, mode: 0o644, bytes: Data("x".utf8)),
        ])
        let encoded = try archive.encoded(modifiedAt: time)
        #expect(encoded.count % 512 == 0)
        #expect(try TarArchive(decoding: encoded).members == archive.members)
    }

    @Test(arguments: ["../escape", "/etc/passwd", "a/../../b", "a//b", "./a", "", "a/\u{7}b"])
    func pathsOutsideTheArchiveAreRefused(path: String) {
        #expect(throws: TarArchive.Failure.self) {
            _ = try TarArchive(members: [.init(path: path, mode: 0o644, bytes: Data())]).encoded(modifiedAt: time)
        }
    }

    @Test func alteredAndTruncatedArchivesAreRefused() throws {
        let encoded = try TarArchive(members: [.init(path: "a", mode: 0o644, bytes: Data(repeating: 1, count: 700))]).encoded(modifiedAt: time)
        var altered = encoded
        altered[10] ^= 0x01
        #expect(throws: TarArchive.Failure.self) { _ = try TarArchive(decoding: altered) }
        #expect(throws: TarArchive.Failure.self) { _ = try TarArchive(decoding: encoded.prefix(900)) }
        #expect(throws: TarArchive.Failure.self) { _ = try TarArchive(decoding: encoded.prefix(300)) }
    }

    /// A header rewritten (checksum included) to name a path outside: refused on reading.
    @Test func aCraftedHeaderNamingAParentFolderIsRefused() throws {
        var bytes = [UInt8](try TarArchive(members: [.init(path: "aaaaaaaa", mode: 0o644, bytes: Data("x".utf8))]).encoded(modifiedAt: time))
        for (index, byte) in Array("../../x\0".utf8).enumerated() { bytes[index] = byte }
        for index in 148..<156 { bytes[index] = 0x20 }
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        for (index, byte) in Array(String(String(sum, radix: 8)).utf8).enumerated() { bytes[148 + index] = byte }
        bytes[148 + String(sum, radix: 8).count] = 0
        #expect {
            _ = try TarArchive(decoding: Data(bytes))
        } throws: { error in
            (error as? TarArchive.Failure)?.description.contains("outside its folder") == true
        }
    }
}
