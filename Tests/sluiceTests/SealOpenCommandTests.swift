import Foundation
import Testing

@Suite("sluice seal and open") struct SealOpenCommandTests {
    /// A folder after `sluice init`, with the sample records to seal.
    static func initialised() throws -> (folder: String, data: String, certs: String, input: String) {
        let folder = try SluiceProcess.temporaryFolder()
        let data = folder + "/data"
        let certs = folder + "/Certs"
        _ = try SluiceProcess.sluice("init", "--data-dir", data, "--certs", certs)
        let input = folder + "/in.ndjson"
        try MaskCommandTests.sample.write(toFile: input, atomically: true, encoding: .utf8)
        return (folder, data, certs, input)
    }

    /// `sluice seal` of `input` for the procuratorate, signed with `signer`'s key and certificate.
    static func seal(_ input: String, signer: (key: String, certificate: String), into output: String, data: String, certs: String) throws
        -> SluiceProcess.Result
    {
        try SluiceProcess.sluice(
            "seal", "--agreement", "psb-household-check", "--input", input,
            "--recipient-cert", certs + "/agencies/district-procuratorate.pem", "--signing-key", signer.key, "--signing-cert", signer.certificate,
            "--output", output, "--data-dir", data, "--trust", certs + "/dev-ca.pem")
    }

    /// An envelope whose deflated content inflates past `--max-payload-bytes` is refused
    /// while it inflates (exit 1, nothing written), the same envelope opens under the default.
    @Test func anEnvelopeThatInflatesPastTheLimitIsRefused() throws {
        let (folder, data, certs, _) = try Self.initialised()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 4,000 alike records: a payload of some megabytes that deflates to a few kilobytes.
        let input = folder + "/many.ndjson"
        let line = MaskCommandTests.sample.split(separator: "\n").first.map(String.init) ?? ""
        try String(repeating: line + "\n", count: 4_000).write(toFile: input, atomically: true, encoding: .utf8)
        let sealed = folder + "/bomb.jwe"
        let seal = try Self.seal(
            input, signer: (data + "/keys/gateway-signing.key.pem", certs + "/gateway-signing.pem"), into: sealed, data: data, certs: certs)
        #expect(seal.status == 0, "stderr: \(seal.stderr)")
        let envelopeBytes = (try FileManager.default.attributesOfItem(atPath: sealed)[.size] as? NSNumber)?.intValue ?? 0
        let consumerKey = data + "/keys/agencies/district-procuratorate.key.pem"
        let output = folder + "/records.ndjson"
        let refused = try SluiceProcess.sluice(
            "open", sealed, "--key", consumerKey, "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-signing.pem",
            "--max-payload-bytes", "65536", "--output", output)
        #expect(refused.status == 1, "stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("65536"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "nothing is written for a refused envelope")
        #expect(envelopeBytes < 65536, "the envelope itself is small: \(envelopeBytes) bytes")
        let opened = try SluiceProcess.sluice(
            "open", sealed, "--key", consumerKey, "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-signing.pem", "--output",
            output)
        #expect(opened.status == 0, "stderr: \(opened.stderr)")
    }

    @Test func roundTripAndExitCodes() throws {
        let (folder, data, certs, input) = try Self.initialised()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sealed = folder + "/pkg.jwe"
        let seal = try Self.seal(
            input, signer: (data + "/keys/gateway-signing.key.pem", certs + "/gateway-signing.pem"), into: sealed, data: data, certs: certs)
        #expect(seal.status == 0, "stderr: \(seal.stderr)")

        let consumerKey = data + "/keys/agencies/district-procuratorate.key.pem"
        let opened = try SluiceProcess.sluice(
            "open", sealed, "--key", consumerKey, "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-signing.pem")
        #expect(opened.status == 0, "stderr: \(opened.stderr)")
        #expect(opened.stdout.split(separator: "\n").count == 2)
        #expect(opened.stderr.contains("agreement  psb-household-check (no version number: sealed from the agreement file)"))

        // Not for this key, or signed by someone the caller did not expect: exit 1.
        let wrongKey = try SluiceProcess.sluice(
            "open", sealed, "--key", data + "/keys/agencies/district-psb.key.pem", "--trust", certs + "/dev-ca.pem")
        #expect(wrongKey.status == 1)
        let wrongSigner = try SluiceProcess.sluice(
            "open", sealed, "--key", consumerKey, "--trust", certs + "/dev-ca.pem", "--expect-signer", certs + "/gateway-tls.pem")
        #expect(wrongSigner.status == 1)
        #expect(wrongSigner.stderr.contains("signed by someone other than the expected gateway"))

        // Unreadable input: exit 2.
        try "not an envelope".write(toFile: folder + "/junk.jwe", atomically: true, encoding: .utf8)
        #expect(try SluiceProcess.sluice("open", folder + "/junk.jwe", "--key", consumerKey, "--trust", certs + "/dev-ca.pem").status == 2)
        #expect(try SluiceProcess.sluice("open", folder + "/missing.jwe", "--key", consumerKey, "--trust", certs + "/dev-ca.pem").status == 2)

        // An output that cannot be written is an input error (2), said in one line — not a
        // forged envelope (1) — and found before any work: no file, no partial file.
        let nowhere = folder + "/no-such-folder/out"
        let openNowhere = try SluiceProcess.sluice("open", sealed, "--key", consumerKey, "--trust", certs + "/dev-ca.pem", "--output", nowhere)
        #expect(openNowhere.status == 2)
        #expect(openNowhere.stderr.contains("cannot be written: there is no folder"), "\(openNowhere.stderr)")
        #expect(!openNowhere.stderr.contains("package    "), "the header was printed before the output was found unusable")
        let sealNowhere = try SluiceProcess.sluice(
            "seal", "--agreement", "psb-household-check", "--input", input,
            "--recipient-cert", certs + "/agencies/district-procuratorate.pem",
            "--signing-key", data + "/keys/gateway-signing.key.pem", "--signing-cert", certs + "/gateway-signing.pem",
            "--output", folder, "--data-dir", data, "--trust", certs + "/dev-ca.pem")
        #expect(sealNowhere.status == 2)
        #expect(sealNowhere.stderr.contains("cannot be written: it is a folder"), "\(sealNowhere.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".partial") || $0.hasPrefix(".") }.isEmpty)
    }

    /// The attack of the README's own commands: the provider seals its unmasked records with
    /// its own key and certificate, from the same development CA as the gateway's. `open`
    /// refuses it (exit 1) and names the signer; `seal` refuses a recipient the agency CA
    /// did not issue for clients, or the gateway's own signing certificate.
    @Test func aPartnerCannotSealAsTheGatewayNorSealToAnyCertificate() throws {
        let (folder, data, certs, input) = try Self.initialised()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let forged = folder + "/forged.jwe"
        let seal = try Self.seal(
            input, signer: (data + "/keys/agencies/district-psb.key.pem", certs + "/agencies/district-psb.pem"), into: forged, data: data,
            certs: certs)
        #expect(seal.status == 0, "sealing itself is a partner's right offline: \(seal.stderr)")
        let opened = try SluiceProcess.sluice(
            "open", forged, "--key", data + "/keys/agencies/district-procuratorate.key.pem", "--trust", certs + "/dev-ca.pem",
            "--expect-signer", certs + "/gateway-signing.pem")
        #expect(opened.status == 1)
        #expect(opened.stderr.contains("not among the signing certificates given") || opened.stderr.contains("not among the 1"), "\(opened.stderr)")
        #expect(opened.stdout.isEmpty, "no record of a forged package is written")
        // Nor when the partner is fooled into holding the agency's certificate as the gateway's.
        let misled = try SluiceProcess.sluice(
            "open", forged, "--key", data + "/keys/agencies/district-procuratorate.key.pem", "--trust", certs + "/dev-ca.pem",
            "--expect-signer", certs + "/agencies/district-psb.pem")
        #expect(misled.status == 1)
        #expect(misled.stderr.contains("not signed by the gateway") && misled.stderr.contains("district-psb"), "\(misled.stderr)")
        #expect(misled.stdout.isEmpty, "no record of a forged package is written")

        let otherFolder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: otherFolder) }
        _ = try SluiceProcess.sluice("init", "--data-dir", otherFolder + "/data", "--certs", otherFolder + "/Certs")
        for recipient in [otherFolder + "/Certs/agencies/district-procuratorate.pem", certs + "/gateway-signing.pem", certs + "/gateway-tls.pem"] {
            let refused = try SluiceProcess.sluice(
                "seal", "--agreement", "psb-household-check", "--input", input, "--recipient-cert", recipient,
                "--signing-key", data + "/keys/gateway-signing.key.pem", "--signing-cert", certs + "/gateway-signing.pem",
                "--output", folder + "/refused.jwe", "--data-dir", data, "--trust", certs + "/dev-ca.pem")
            #expect(refused.status == 1, "\(recipient): \(refused.stderr)")
            #expect(refused.stderr.contains("cannot receive packages"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/refused.jwe"))
        }
    }
}
