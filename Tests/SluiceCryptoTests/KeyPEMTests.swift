import Crypto
import Foundation
import SluiceCrypto
import Testing
import X509
import _CryptoExtras

@Suite("Writing keys as PEM") struct KeyPEMTests {
    /// `openssl pkey … -pubout` on a written private key: OpenSSL's own reading of it.
    static func opensslPublicKey(of pem: String, in folder: TemporaryFolder) throws -> String? {
        guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return nil
        }
        let path = folder.path + "/\(UUID().uuidString).pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["pkey", "-in", path, "-pubout"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : "openssl refused the key"
    }

    @Test(arguments: ["p256", "p384"]) func sec1AndPKCS8AreReadBackAndByOpenSSL(curve: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let key: SigningKey = curve == "p256" ? .p256(P256.Signing.PrivateKey()) : .p384(P384.Signing.PrivateKey())
        let sec1 = try KeyPEM.sec1(key)
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        let spki = try KeyPEM.publicKey(key.publicKey)
        #expect(spki.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        for pem in [sec1, KeyPEM.pkcs8(key)] {
            #expect(try SigningKey(pem: pem).publicKey == key.publicKey)
            if let fromOpenSSL = try Self.opensslPublicKey(of: pem, in: folder) { #expect(fromOpenSSL == spki) }
        }
        #expect(try Certificate.PublicKey(pemEncoded: spki) == key.publicKey)
    }

    @Test func ed25519AndRSAWriteAsPKCS8() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let ed = SigningKey.ed25519(Curve25519.Signing.PrivateKey())
        #expect(throws: JOSEError.self) { try KeyPEM.sec1(ed) }
        let edPEM = KeyPEM.pkcs8(ed)
        #expect(try SigningKey(pem: edPEM).publicKey == ed.publicKey)
        if let fromOpenSSL = try Self.opensslPublicKey(of: edPEM, in: folder) { #expect(fromOpenSSL == (try KeyPEM.publicKey(ed.publicKey))) }

        let rsa = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let rsaPEM = KeyPEM.pkcs8(rsa)
        #expect(rsaPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let decryption = try DecryptionKey(pem: rsaPEM)
        let publicKey = try Certificate.PublicKey(pemEncoded: rsa.publicKey.pemRepresentation)
        if case .rsa(let read) = decryption {
            #expect(read.publicKey.derRepresentation == rsa.publicKey.derRepresentation)
        } else {
            Issue.record("the RSA key was not read back as RSA")
        }
        if let fromOpenSSL = try Self.opensslPublicKey(of: rsaPEM, in: folder) { #expect(fromOpenSSL == (try KeyPEM.publicKey(publicKey))) }
    }
}
