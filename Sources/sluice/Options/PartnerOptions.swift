import ArgumentParser
import Foundation
import SluiceClient

/// How a partner reaches the gateway: its URL and the agency's TLS identity. `--as`
/// picks an agency's development certificate and key made by `sluice init`.
struct PartnerOptions: ParsableArguments {
    @Option(help: "Gateway URL (default: $SLUICE_GATEWAY, or https://127.0.0.1:8443).")
    var gateway: String?

    @Option(name: .customLong("as"), help: "Use this agency's development certificate and key from `sluice init`.")
    var agency: String?

    @Option(help: "The agency's client certificate (PEM).") var cert: String?
    @Option(help: "The agency's private key (PEM).") var key: String?
    @Option(help: "CA certificate the gateway's certificate must chain to (default Certs/dev-ca.pem).") var ca: String?

    @OptionGroup var data: DataDirectoryOptions

    func client() throws -> GatewayClient {
        let url = gateway ?? ProcessInfo.processInfo.environment["SLUICE_GATEWAY"] ?? "https://127.0.0.1:8443"
        var certificate = cert
        var privateKey = key
        if let agency {
            let dataDirectory = try data.resolved()
            certificate = certificate ?? "Certs/agencies/\(agency).pem"
            privateKey = privateKey ?? dataDirectory + "/keys/agencies/\(agency).key.pem"
        }
        guard let certificate, let privateKey else {
            throw CommandFailure.input("give --cert and --key (the agency's client certificate and key), or --as AGENCY for a development setup")
        }
        do {
            return try GatewayClient(
                baseURL: url, identity: .init(certificate: certificate, key: privateKey, trust: ca ?? "Certs/dev-ca.pem"))
        } catch {
            throw CommandFailure.input(error.description)
        }
    }
}

extension CommandFailure {
    /// The gateway refused or could not be reached: the operation failed (exit 1).
    static func gateway(_ error: any Error) -> CommandFailure {
        CommandFailure(message: String(describing: error), exitCode: 1)
    }
}
