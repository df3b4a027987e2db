import Foundation
import Testing

@Suite("sluice init") struct InitCommandTests {
    @Test func createsCertificatesThatOpenSSLAccepts() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        let certs = folder + "/Certs"
        let first = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", certs)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("created  private key"))

        let agencies = ["district-procuratorate", "district-psb", "district-amr", "district-tax", "jiangdong-rcb"]
        for agency in agencies {
            #expect(FileManager.default.fileExists(atPath: "\(certs)/agencies/\(agency).pem"))
            let mode = try FileManager.default.attributesOfItem(atPath: "\(data)/keys/agencies/\(agency).key.pem")[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }

        let openssl = try #require(SluiceProcess.tool("openssl"), "openssl is needed to check the certificates independently")
        for file in ["dev-ca.pem", "gateway-tls.pem", "gateway-signing.pem"] + agencies.map({ "agencies/\($0).pem" }) {
            let parsed = try SluiceProcess.run(openssl, ["x509", "-in", "\(certs)/\(file)", "-noout", "-subject"])
            #expect(parsed.status == 0, "openssl x509 \(file): \(parsed.stderr)")
        }
        let clients = agencies.map { "\(certs)/agencies/\($0).pem" }
        let verified = try SluiceProcess.run(
            openssl, ["verify", "-purpose", "sslclient", "-CAfile", "\(certs)/dev-ca.pem"] + clients)
        #expect(verified.status == 0, "openssl verify: \(verified.stdout) \(verified.stderr)")
        #expect(verified.stdout.split(separator: "\n").count == agencies.count)
        let server = try SluiceProcess.run(
            openssl, ["verify", "-purpose", "sslserver", "-CAfile", "\(certs)/dev-ca.pem", "\(certs)/gateway-tls.pem"])
        #expect(server.status == 0)
        // A client certificate must not pass as a server certificate.
        let misuse = try SluiceProcess.run(
            openssl, ["verify", "-purpose", "sslserver", "-CAfile", "\(certs)/dev-ca.pem", clients[0]])
        #expect(misuse.status != 0)

        let again = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", certs)
        #expect(again.status == 0)
        #expect(again.stdout.contains("Nothing to do"))
    }

    @Test func refusesAKeyOthersCanRead() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        _ = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", folder + "/Certs")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data + "/keys/dev-ca.key.pem")
        let result = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", folder + "/Certs")
        #expect(result.status == 2)
        #expect(result.stderr.contains("chmod 600"))
    }
}
