import Foundation
import SluiceCrypto
import Testing

@testable import SluiceGateway

/// A backup file of many parts, made from a development gateway's store in process: it
/// unpacks to the very files it was made of, and every way of altering the file (a part
/// changed, dropped, repeated, moved, another backup's manifest, a cut, a line added, the
/// wrong key) is refused before anything unsigned is decrypted, leaving no folder behind.
@Suite struct BackupFileTests {
    let fixture: GatewayRouteTests.Fixture
    let backupPath: String
    let made: BackupWriter.Made

    init() throws {
        fixture = try GatewayRouteTests.Fixture()
        // Some bulk that does not compress, so the archive spans many small parts.
        let filler = (0..<150_000).map { _ in UInt8.random(in: 0...255) }
        try Data(filler).write(to: URL(fileURLWithPath: fixture.state.configuration.certsDirectory + "/filler.bin"))
        backupPath = fixture.folder + "/b" + BackupWriter.fileSuffix
        var writer = BackupWriter(configuration: fixture.state.configuration, includeKeys: false, configurationFile: nil)
        writer.partBytes = 16 << 10
        made = try writer.write(to: backupPath, store: fixture.state.store)
    }

    func unpack(_ path: String, into folder: String, key: String? = nil) async throws -> UnpackedBackup {
        let configuration = fixture.state.configuration
        return try await UnpackedBackup.unpack(
            path, into: folder, key: try DecryptionKey(file: PrivateKeyFile(path: key ?? configuration.resolvedBackupKey)),
            signers: SignerCheck(
                trustAnchors: try CertificateFile.read(configuration.certsDirectory + "/dev-ca.pem"),
                signers: try CertificateFile.read(configuration.resolvedSigningCertificate)))
    }

    var lines: [String] {
        get throws { try String(contentsOfFile: backupPath, encoding: .utf8).split(separator: "\n").map(String.init) }
    }

    @Test func aBackupOfManyPartsUnpacksToTheFilesItWasMadeOf() async throws {
        #expect(made.manifest.archive.parts.count > 10, "\(made.manifest.archive.parts.count) parts")
        #expect(try lines.count == made.manifest.archive.parts.count + 1)
        #expect(!FileManager.default.fileExists(atPath: backupPath + ".partial"))
        let mode = try FileManager.default.attributesOfItem(atPath: backupPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let folder = fixture.folder + "/unpacked"
        let backup = try await unpack(backupPath, into: folder)
        #expect(backup.manifest == made.manifest)
        let filler = try Data(contentsOf: URL(fileURLWithPath: folder + "/certs/filler.bin"))
        #expect(filler == (try Data(contentsOf: URL(fileURLWithPath: fixture.state.configuration.certsDirectory + "/filler.bin"))))
        #expect(!FileManager.default.fileExists(atPath: folder + "/data/keys"), "no private keys unless asked")
        let outcome = try BackupRestore.check(backup, verifiers: [], keptCheckpoint: nil)
        #expect(outcome.treeSize == made.manifest.treeSize && outcome.treeSize > 0)
    }

    @Test(arguments: ["changed", "dropped", "repeated", "moved", "cut", "added", "foreign manifest"])
    func anAlteredFileIsRefusedAndLeavesNothing(alteration: String) async throws {
        var lines = try self.lines
        switch alteration {
        case "changed":
            var part = Array(lines[3].utf8)
            part[part.count / 2] = part[part.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            lines[3] = String(decoding: part, as: UTF8.self)
        case "dropped": lines.remove(at: 2)
        case "repeated": lines.insert(lines[2], at: 2)
        case "moved": lines.swapAt(1, 2)
        case "cut": lines[lines.count - 1] = String(lines[lines.count - 1].prefix(100))
        case "added": lines.append(lines[0])
        default:
            // The manifest of a later backup of the same gateway, signed and sealed as well.
            var writer = BackupWriter(configuration: fixture.state.configuration, includeKeys: false, configurationFile: nil)
            writer.partBytes = 16 << 10
            let other = fixture.folder + "/other" + BackupWriter.fileSuffix
            _ = try writer.write(to: other, store: fixture.state.store)
            lines[lines.count - 1] = try #require(try String(contentsOfFile: other, encoding: .utf8).split(separator: "\n").last.map(String.init))
        }
        let altered = fixture.folder + "/altered" + BackupWriter.fileSuffix
        try (lines.joined(separator: "\n") + "\n").write(toFile: altered, atomically: true, encoding: .utf8)
        let folder = fixture.folder + "/unpacked-" + alteration.replacingOccurrences(of: " ", with: "-")
        let expected: [String: String] = [
            "changed": "part 4 of", "dropped": "parts are not those", "repeated": "parts are not those", "moved": "altered",
            "cut": "envelope", "added": "envelope", "foreign manifest": "part",
        ]
        await #expect {
            _ = try await unpack(altered, into: folder)
        } throws: { error in
            "\(error)".contains(expected[alteration]!)
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func theWrongKeyOpensNothing() async throws {
        let wrong = fixture.state.configuration.dataDirectory + "/keys/agencies/district-procuratorate.key.pem"
        await #expect(throws: JOSEError.decryptionFailed) { _ = try await unpack(backupPath, into: fixture.folder + "/wrong", key: wrong) }
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/wrong"))
    }

    /// The layout is checked before any part is read: a manifest claiming more parts than
    /// the file holds never gets as far as decrypting one.
    @Test func aManifestLaidOutOtherwiseThanTheFileIsRefused() throws {
        var manifest = made.manifest
        #expect(throws: Never.self) {
            try UnpackedBackup.check(manifest, manifestOffset: made.manifest.archive.parts.reduce(0) { $0 + $1.bytes + 1 }, sizeLimit: 1 << 30)
        }
        manifest.archive.parts.removeLast()
        #expect(throws: BackupError.self) {
            try UnpackedBackup.check(manifest, manifestOffset: made.manifest.archive.parts.reduce(0) { $0 + $1.bytes + 1 }, sizeLimit: 1 << 30)
        }
        #expect(throws: BackupError.self) { try UnpackedBackup.check(made.manifest, manifestOffset: 0, sizeLimit: 1 << 30) }
        #expect(throws: BackupError.self) {
            try UnpackedBackup.check(made.manifest, manifestOffset: made.manifest.archive.parts.reduce(0) { $0 + $1.bytes + 1 }, sizeLimit: 1000)
        }
    }
}
