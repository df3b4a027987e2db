import ArgumentParser
import Foundation
import SluiceAPI
import SluiceCrypto
import X509

/// `sluice signing-certificates`: fetch the gateway's signing certificates, current and
/// retired, into one PEM file: the `--expect-signer` of `sluice open` and `sluice receipt
/// verify`, whose JWS name their signer by thumbprint only. Every certificate is parsed
/// before anything is written, so a gateway cannot hand a partner a file that is not PEM.
struct SigningCertificatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signing-certificates",
        abstract: "Save the gateway's signing certificates (current and retired) for `open` and `receipt verify`.")

    enum Profile: String, ExpressibleByArgument, CaseIterable {
        case jose
        case gm
    }

    @OptionGroup var partner: PartnerOptions
    @Option(help: "Which profile's certificates: jose (the default) or gm (SM2).")
    var profile: Profile = .jose
    @Option(name: .shortAndLong, help: "Where to save them (default: gateway-signing.pem, or gateway-signing-sm2.pem for gm).")
    var output: String?

    func run() async throws {
        let path = output ?? (profile == .gm ? "gateway-signing-sm2.pem" : "gateway-signing.pem")
        try OutputFile.checkWritable(path)
        let client = try partner.client()
        let document: APIDocument.SigningCertificates
        do {
            document = try await client.signingCertificates()
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw CommandFailure.gateway(error)
        }
        let blocks = profile == .gm ? document.gm : document.jose + document.retiredJOSE.flatMap { $0 }
        guard !blocks.isEmpty else {
            throw CommandFailure.checkFailed("the gateway has no \(profile == .gm ? "SM2 " : "")signing certificate")
        }
        var pem = ""
        for (index, block) in blocks.enumerated() {
            let readable: Bool
            switch profile {
            case .jose: readable = (try? Certificate(pemEncoded: block)) != nil
            case .gm: readable = (try? SM2Certificate(pem: block)) != nil
            }
            guard readable else { throw CommandFailure.checkFailed("certificate \(index + 1) of the gateway's answer is not a PEM certificate") }
            pem += block.hasSuffix("\n") ? block : block + "\n"
        }
        try OutputFile.write(Array(pem.utf8), to: path, ownerOnly: false)
        let retired = profile == .gm ? 0 : document.retiredJOSE.count
        print(
            "saved \(blocks.count) certificate\(blocks.count == 1 ? "" : "s") to \(path)"
                + (retired > 0 ? " (\(retired) retired chain\(retired == 1 ? "" : "s"))" : ""))
    }
}
