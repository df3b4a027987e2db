import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceGateway

/// `sluice serve`: the gateway daemon, over mutual TLS.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: partners reach it over mutual TLS.",
        discussion: """
            Settings come from sluice.yaml in the current folder (see README), then SLUICE_* \
            environment variables, then these flags. With no settings after `sluice init`, \
            the development certificates and keys are used. Stops cleanly on SIGTERM or \
            SIGINT, signing a final audit checkpoint.
            """)

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:8443; port 0 picks a free one).")
    var listen: String?

    @Option(name: .customLong("data-dir"), help: "Gateway state folder (default: $SLUICE_DATA_DIR, sluice.yaml data_dir, or .sluice).")
    var dataDirectory: String?

    @Option(name: .customLong("certs"), help: "Folder of public certificates (default Certs).")
    var certsDirectory: String?

    @Option(name: .customLong("agreements"), help: "Folder of agreements and agencies.yaml (default Agreements).")
    var agreementsDirectory: String?

    @Option(name: .customLong("config"), help: "Configuration file.")
    var configurationFile = GatewayConfigurationLoader.fileName

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Flag(
        name: .customLong("accept-rollback"),
        help: "Start although the store is behind the checkpoint kept outside it (store.anchor); the start's audit entry records it.")
    var acceptRollback = false

    func run() async throws {
        var configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfigurationLoader().load(file: configurationFile)
        } catch {
            for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
            throw CommandFailure.input("fix \(configurationFile) and start again")
        }
        configuration.acceptRollback = acceptRollback
        if FileManager.default.fileExists(atPath: configurationFile) { configuration.sourceFile = configurationFile }
        if let listen {
            guard let (host, port) = GatewayConfigurationLoader.hostAndPort(listen) else {
                throw CommandFailure.input("--listen must be HOST:PORT, e.g. 127.0.0.1:8443")
            }
            configuration.host = host
            configuration.port = port
        }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let certsDirectory { configuration.certsDirectory = certsDirectory }
        if let agreementsDirectory { configuration.agreementsDirectory = agreementsDirectory }

        var logger = Logger(label: "sluice")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let state: GatewayState
        do {
            state = try GatewayState(configuration: configuration)
        } catch let error as GatewayStartupError {
            throw CommandFailure.input(error.description)
        }
        if configuration.usesDevelopmentCertificates {
            StandardError.print(
                """
                sluice: DEVELOPMENT MODE: using the development CA and keys made by `sluice init` \
                (\(configuration.certsDirectory)/dev-ca.pem, \(configuration.dataDirectory)/keys). \
                Do not use them in production; set tls and signing in sluice.yaml.
                """)
        }
        let gateway = Gateway(state: state, logger: logger)
        do {
            try await gateway.run { url in
                print("listening on \(url)")
                fflush(nil)
            }
        } catch let error as GatewayStartupError {
            throw CommandFailure.input(error.description)
        }
    }
}
