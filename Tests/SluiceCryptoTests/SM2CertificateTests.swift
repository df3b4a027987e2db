import Foundation
import SluiceCrypto
import Testing

/// SM2 certificates issued and checked through libcrypto, and both ways with the openssl
/// command-line tool (which needs the signer id said explicitly: `distid:1234567812345678`).
@Suite("SM2 certificates") struct SM2CertificateTests {
    struct Authority {
        let key = try! SM2Key.generate()
        let certificate: SM2Certificate
        let issuer: SM2CertificateIssuer

        init(name: String = "Test SM2 CA", now: Date = Date()) throws {
            let selfSigned = try SM2CertificateIssuer(certificate: nil, key: key)
            certificate = try selfSigned.issue(for: key, commonName: name, organization: "Sluice tests", profile: .authority, days: 30, now: now)
            issuer = try SM2CertificateIssuer(certificate: certificate, key: key)
        }
    }

    @Test func issuedCertificatesCarryTheirProfileAndChain() throws {
        let authority = try Authority()
        let gatewayKey = try SM2Key.generate()
        let signing = try authority.issuer.issue(
            for: gatewayKey, commonName: "Sluice gateway signing", organization: "Sluice", profile: .gatewaySigning, days: 10)
        #expect(signing.commonName == "Sluice gateway signing" && signing.organization == "Sluice")
        #expect(signing.publicKey.publicPoint == gatewayKey.publicPoint)
        #expect(!signing.isCertificateAuthority && authority.certificate.isCertificateAuthority)
        #expect(signing.keyUsage == [.digitalSignature, .nonRepudiation])
        #expect(signing.hasExtendedKeyUsage(SM2CertificateIssuer.documentSigning) == true)
        #expect(signing.issuerName == authority.certificate.subjectName)
        #expect(signing.isSigned(by: authority.key.publicKey))
        #expect(!signing.isSigned(by: authority.key.publicKey, signerID: []), "the signer id is part of the signature")
        try SM2ChainCheck(anchors: [authority.certificate]).verify(signing)

        let agencyKey = try SM2Key.generate()
        let encryption = try authority.issuer.issue(for: agencyKey, commonName: "district-tax", organization: nil, profile: .encryption, days: 10)
        #expect(encryption.keyUsage?.contains(.keyEncipherment) == true && encryption.hasExtendedKeyUsage("1.3.6.1.5.5.7.3.2") == nil)
        try SM2ChainCheck(anchors: [authority.certificate]).verify(encryption)
        #expect(try SM2Certificate(pem: encryption.pem) == encryption)
    }

    @Test func brokenChainsAreRefused() throws {
        let authority = try Authority()
        let other = try Authority(name: "Another SM2 CA")
        let key = try SM2Key.generate()
        let leaf = try authority.issuer.issue(for: key, commonName: "leaf", organization: nil, profile: .encryption, days: 10)
        #expect(throws: SM2ChainCheck.Failure.self) { try SM2ChainCheck(anchors: [other.certificate]).verify(leaf) }
        #expect(throws: SM2ChainCheck.Failure.self) {
            try SM2ChainCheck(anchors: [authority.certificate]).verify(leaf, at: Date().addingTimeInterval(30 * 86400))
        }
        // Issued by a leaf (not a CA): refused even though its signature is right.
        let leafIssuer = try SM2CertificateIssuer(certificate: leaf, key: key)
        let grandchild = try leafIssuer.issue(for: try SM2Key.generate(), commonName: "grandchild", organization: nil, profile: .encryption, days: 5)
        #expect(grandchild.isSigned(by: key.publicKey))
        #expect(throws: SM2ChainCheck.Failure.self) { try SM2ChainCheck(anchors: [authority.certificate]).verify(grandchild, intermediates: [leaf]) }
        // A byte of the signature changed.
        var der = leaf.derBytes
        der[der.count - 3] ^= 0x01
        let altered = try SM2Certificate(derEncoded: der)
        #expect(throws: SM2ChainCheck.Failure.self) { try SM2ChainCheck(anchors: [authority.certificate]).verify(altered) }
        // Not an SM2 certificate at all.
        #expect(throws: GMError.self) { try SM2Certificate(derEncoded: Array(der.prefix(100))) }
    }

    static func openssl(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
        try ExternalTool.run(["openssl"] + arguments, in: folder)
    }

    @Test func opensslVerifiesOursAndWeVerifyOpenssls() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let authority = try Authority()
        let leaf = try authority.issuer.issue(for: try SM2Key.generate(), commonName: "leaf", organization: nil, profile: .gatewaySigning, days: 10)
        try authority.certificate.pem.write(toFile: folder.path + "/ours-ca.pem", atomically: true, encoding: .utf8)
        try leaf.pem.write(toFile: folder.path + "/ours-leaf.pem", atomically: true, encoding: .utf8)
        let verified = try Self.openssl(["verify", "-CAfile", "ours-ca.pem", "-vfyopt", "distid:1234567812345678", "ours-leaf.pem"], in: folder.path)
        #expect(verified.status == 0, "\(verified.output)")
        let otherID = try Self.openssl(["verify", "-CAfile", "ours-ca.pem", "-vfyopt", "distid:0000", "ours-leaf.pem"], in: folder.path)
        #expect(otherID.status != 0)

        let steps: [[String]] = [
            ["genpkey", "-algorithm", "SM2", "-out", "ca.key"],
            [
                "req", "-x509", "-new", "-key", "ca.key", "-sm3", "-sigopt", "distid:1234567812345678", "-subj", "/CN=OpenSSL SM2 CA", "-days", "10",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out", "ca.pem",
            ],
            ["genpkey", "-algorithm", "SM2", "-out", "leaf.key"],
            ["req", "-new", "-key", "leaf.key", "-sm3", "-sigopt", "distid:1234567812345678", "-subj", "/CN=openssl leaf", "-out", "leaf.csr"],
            [
                "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-sm3", "-sigopt", "distid:1234567812345678", "-vfyopt",
                "distid:1234567812345678", "-days", "5", "-out", "leaf.pem",
            ],
        ]
        for step in steps {
            let ran = try Self.openssl(step, in: folder.path)
            #expect(ran.status == 0, "\(step.prefix(2)): \(ran.output)")
        }
        let theirAuthority = try SM2Certificate(pem: try String(contentsOfFile: folder.path + "/ca.pem", encoding: .utf8))
        let theirLeaf = try SM2Certificate(pem: try String(contentsOfFile: folder.path + "/leaf.pem", encoding: .utf8))
        try SM2ChainCheck(anchors: [theirAuthority]).verify(theirLeaf)
        // Their leaf's key, read from their PEM, signs what its certificate's key verifies.
        let theirKey = try SM2Key(pem: try String(contentsOfFile: folder.path + "/leaf.key", encoding: .utf8))
        #expect(theirLeaf.publicKey.isValidSignature(try theirKey.signature(for: Array("x".utf8)), for: Array("x".utf8)))
    }
}
