import Crypto
import Foundation
import SluiceCrypto
import Testing
import X509

@Suite struct PrivateKeyFileTests {
    @Test func writesOwnerOnlyAndReadsBack() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = PrivateKeyFile(path: folder.path + "/keys/a.key.pem")
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        try file.write(key)
        #expect(try TemporaryFolder.mode(of: file.path) == 0o600)
        #expect(try TemporaryFolder.mode(of: folder.path + "/keys") == 0o700)
        #expect(try file.read().publicKey == key.publicKey)
    }

    @Test func neverOverwritesAKey() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = PrivateKeyFile(path: folder.path + "/a.key.pem")
        let original = Certificate.PrivateKey(P256.Signing.PrivateKey())
        try file.write(original)
        #expect(throws: KeyFileError.alreadyExists(path: file.path)) {
            try file.write(Certificate.PrivateKey(P256.Signing.PrivateKey()))
        }
        #expect(try file.read().publicKey == original.publicKey)
    }

    @Test(arguments: [0o640, 0o604, 0o644])
    func refusesAKeyOthersCanRead(mode: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = PrivateKeyFile(path: folder.path + "/a.key.pem")
        try file.write(Certificate.PrivateKey(P256.Signing.PrivateKey()))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        #expect(throws: KeyFileError.readableByOthers(path: file.path, mode: UInt16(mode))) { try file.read() }
        let message = KeyFileError.readableByOthers(path: file.path, mode: UInt16(mode)).description
        #expect(message.contains("chmod 600 \(file.path)"))
    }

    @Test func reportsMissingAndMalformedFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = PrivateKeyFile(path: folder.path + "/none.pem")
        #expect(throws: KeyFileError.missing(path: missing.path)) { try missing.read() }
        let junk = folder.path + "/junk.pem"
        FileManager.default.createFile(atPath: junk, contents: Data("not a key".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: KeyFileError.malformed(path: junk, reason: "expected PKCS#8, SEC1 or PKCS#1 PEM")) {
            try PrivateKeyFile(path: junk).read()
        }
    }
}
