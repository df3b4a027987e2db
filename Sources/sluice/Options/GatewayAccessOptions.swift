import ArgumentParser
import Foundation
import SluiceClient
import Yams

/// How an admin or audit command reaches the gateway from someone's desk: its URL and the
/// person's certificate, given as options or as a named profile in
/// `~/.config/sluice/config.yaml`. Without any of them the command works on the local
/// data directory, as the gateway host's admin.
///
/// ```yaml
/// profiles:
///   officer:
///     gateway: https://gateway.example.gov.cn:8443
///     cert: ~/sluice/officer.pem
///     key: ~/sluice/officer.key.pem
///     ca: ~/sluice/ca.pem
/// ```
struct GatewayAccessOptions: ParsableArguments {
    @Option(help: "Work through this gateway's API instead of the local data directory.") var gateway: String?
    @Option(help: "A profile from ~/.config/sluice/config.yaml (gateway, cert, key, ca); also $SLUICE_PROFILE.") var profile: String?
    @Option(name: .customLong("as"), help: "Use this identity's development certificate and key from `sluice init` (with --gateway).")
    var identity: String?
    @Option(help: "Your client certificate (PEM).") var cert: String?
    @Option(help: "Your private key (PEM).") var key: String?
    @Option(help: "CA certificate the gateway's certificate must chain to.") var ca: String?

    var access: GatewayAccess { GatewayAccess(gateway: gateway, profile: profile, identity: identity, cert: cert, key: key, ca: ca) }
}

/// The same choices for `sluice agency add` and `revoke`, whose `--cert` names the
/// agency's certificate: there, your own certificate and key are `--client-cert` and
/// `--client-key`.
struct AgencyAccessOptions: ParsableArguments {
    @Option(help: "Work through this gateway's API instead of the local data directory.") var gateway: String?
    @Option(help: "A profile from ~/.config/sluice/config.yaml (gateway, cert, key, ca); also $SLUICE_PROFILE.") var profile: String?
    @Option(name: .customLong("as"), help: "Use this identity's development certificate and key from `sluice init` (with --gateway).")
    var identity: String?
    @Option(name: .customLong("client-cert"), help: "Your client certificate (PEM).") var cert: String?
    @Option(name: .customLong("client-key"), help: "Your private key (PEM).") var key: String?
    @Option(help: "CA certificate the gateway's certificate must chain to.") var ca: String?

    var access: GatewayAccess { GatewayAccess(gateway: gateway, profile: profile, identity: identity, cert: cert, key: key, ca: ca) }
}

/// Where and as whom to reach the gateway's API, as the options gave it.
struct GatewayAccess {
    var gateway: String?
    var profile: String?
    var identity: String?
    var cert: String?
    var key: String?
    var ca: String?

    /// Whether the command works through the API rather than on the local data directory.
    func isRemote(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        gateway != nil || profile != nil || identity != nil || cert != nil || !(environment["SLUICE_PROFILE"] ?? "").isEmpty
    }

    /// The API client when the command is to work remotely, nil for the local data directory.
    func client(dataDirectory: () throws -> String, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> GatewayClient?
    {
        let profileName = profile ?? environment["SLUICE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        guard isRemote(environment: environment) else { return nil }
        var settings: [String: String] = [:]
        if let profileName { settings = try Self.profile(profileName, environment: environment) }
        var certificate = cert ?? settings["cert"]
        var privateKey = key ?? settings["key"]
        if let identity {
            certificate = certificate ?? "Certs/agencies/\(identity).pem"
            if privateKey == nil { privateKey = try dataDirectory() + "/keys/agencies/\(identity).key.pem" }
        }
        guard let url = gateway ?? settings["gateway"] else {
            throw CommandFailure.input("give --gateway URL (or a --profile naming one) to work through the API")
        }
        guard let certificate, let privateKey else {
            throw CommandFailure.input("give --cert and --key (your certificate and key), a --profile, or --as NAME for a development setup")
        }
        do {
            return try GatewayClient(
                baseURL: url, identity: .init(certificate: certificate, key: privateKey, trust: ca ?? settings["ca"] ?? "Certs/dev-ca.pem"))
        } catch {
            throw CommandFailure.input(error.description)
        }
    }

    static func configurationPath(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/sluice/config.yaml"
    }

    /// The named profile's settings, with `~/` expanded.
    static func profile(_ name: String, environment: [String: String]) throws -> [String: String] {
        let path = configurationPath(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.input("profile \(name) asked for, but \(path) cannot be read")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw CommandFailure.input("\(path) is not valid YAML")
        }
        guard let profiles = node?.mapping?["profiles"]?.mapping else { throw CommandFailure.input("\(path) has no profiles: mapping") }
        guard let entry = profiles[name]?.mapping else {
            let known = profiles.keys.compactMap(\.string).sorted().joined(separator: ", ")
            throw CommandFailure.input("\(path) has no profile \(name)" + (known.isEmpty ? "" : " (it has: \(known))"))
        }
        var settings: [String: String] = [:]
        let home = environment["HOME"] ?? NSHomeDirectory()
        for (key, value) in entry {
            guard let key = key.string, let text = value.string else { continue }
            guard ["gateway", "cert", "key", "ca"].contains(key) else {
                throw CommandFailure.input("\(path): profile \(name) has an unknown setting \(key) (known: gateway, cert, key, ca)")
            }
            settings[key] = text.hasPrefix("~/") ? home + text.dropFirst() : text
        }
        return settings
    }
}

extension GatewayClientError {
    /// Exit 2 when the gateway refused what was sent (bad input), 1 otherwise.
    var commandFailure: CommandFailure {
        CommandFailure(message: description, exitCode: status == 400 || status == 422 ? 2 : 1)
    }
}
