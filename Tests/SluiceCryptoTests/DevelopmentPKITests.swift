import Foundation
import SluiceCore
import SluiceCrypto
import Testing
import X509

@Suite struct DevelopmentPKITests {
    let agencies = [
        Agency(id: "district-psb", name: "江东区公安分局", roles: [.partner], certificate: "agencies/district-psb.pem"),
        Agency(id: "auditor", name: "审计员", roles: [.auditor], certificate: "agencies/auditor.pem"),
    ]

    func certificate(at path: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
    }

    func chainsToCA(_ leaf: Certificate, ca: Certificate) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([ca])) { RFC5280Policy(validationTime: Date()) }
        if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) { return true }
        return false
    }

    @Test func createsAVerifiableHierarchy() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pki = DevelopmentPKI(dataDirectory: folder.path + "/data", certsDirectory: folder.path + "/Certs")
        let steps = try pki.ensure(agencies: agencies)
        #expect(steps.allSatisfy { $0.action == .created })
        #expect(try TemporaryFolder.mode(of: folder.path + "/data") == 0o700)
        for key in [pki.caKeyPath, pki.tlsKeyPath, pki.signingKeyPath] + agencies.map(pki.agencyKeyPath) {
            #expect(try TemporaryFolder.mode(of: key) == 0o600, "mode of \(key)")
        }

        let ca = try certificate(at: pki.caCertificatePath)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        for agency in agencies {
            let client = try certificate(at: pki.agencyCertificatePath(agency))
            #expect(await chainsToCA(client, ca: ca))
            #expect(try client.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
            #expect(client.subject.description.contains("CN=\(agency.id)"))
            let key = try PrivateKeyFile(path: pki.agencyKeyPath(agency)).read()
            #expect(client.publicKey == key.publicKey)
        }
        let server = try certificate(at: pki.tlsCertificatePath)
        #expect(await chainsToCA(server, ca: ca))
        #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(try server.extensions.subjectAlternativeNames?.contains(.dnsName("localhost")) == true)
        #expect(await chainsToCA(try certificate(at: pki.signingCertificatePath), ca: ca))
    }

    @Test func runningAgainKeepsEverything() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pki = DevelopmentPKI(dataDirectory: folder.path + "/data", certsDirectory: folder.path + "/Certs")
        _ = try pki.ensure(agencies: agencies)
        let keyBefore = try String(contentsOfFile: pki.caKeyPath, encoding: .utf8)
        let certBefore = try String(contentsOfFile: pki.tlsCertificatePath, encoding: .utf8)
        let steps = try pki.ensure(agencies: agencies)
        #expect(steps.allSatisfy { $0.action == .kept })
        #expect(try String(contentsOfFile: pki.caKeyPath, encoding: .utf8) == keyBefore)
        #expect(try String(contentsOfFile: pki.tlsCertificatePath, encoding: .utf8) == certBefore)
    }

    @Test func replacesOnlyWhatIsMissingOrStale() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pki = DevelopmentPKI(dataDirectory: folder.path + "/data", certsDirectory: folder.path + "/Certs")
        _ = try pki.ensure(agencies: agencies)
        let psb = agencies[0]
        try FileManager.default.removeItem(atPath: pki.agencyCertificatePath(psb))
        try "garbage".write(toFile: pki.signingCertificatePath, atomically: true, encoding: .utf8)
        let steps = try pki.ensure(agencies: agencies)
        let changed = steps.filter { $0.action != .kept }.map(\.path)
        #expect(changed == [pki.signingCertificatePath, pki.agencyCertificatePath(psb)])
        #expect(steps.first { $0.path == pki.signingCertificatePath }?.action == .reissued)
        let ca = try certificate(at: pki.caCertificatePath)
        #expect(await chainsToCA(try certificate(at: pki.agencyCertificatePath(psb)), ca: ca))
    }

    @Test func refusesToRunOnAnExposedKey() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let pki = DevelopmentPKI(dataDirectory: folder.path + "/data", certsDirectory: folder.path + "/Certs")
        _ = try pki.ensure(agencies: agencies)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pki.caKeyPath)
        #expect(throws: KeyFileError.readableByOthers(path: pki.caKeyPath, mode: 0o644)) {
            try pki.ensure(agencies: agencies)
        }
    }
}
