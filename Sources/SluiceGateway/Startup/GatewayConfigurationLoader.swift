import Foundation
import SluiceCore
import SluiceStore
import Yams

/// Reads `sluice.yaml` and the `SLUICE_*` environment into a ``GatewayConfiguration``,
/// reporting every unknown key or bad value with its line.
public struct GatewayConfigurationLoader {
    public static let fileName = "sluice.yaml"
    public static let keys: Set<String> = [
        "listen", "data_dir", "certs_dir", "agreements_dir", "tls", "signing", "limits", "checkpoint", "purge_interval_seconds",
        "allow_combined_roles", "time_zone", "connections", "auth_failures", "store", "gm", "backup",
    ]

    public init() {}

    /// The configuration file's values (if the file exists) overridden by the environment.
    public func load(file: String = fileName, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ValidationFailure)
        -> GatewayConfiguration
    {
        var configuration = GatewayConfiguration()
        var problems: [Diagnostic] = []
        if let data = FileManager.default.contents(atPath: file) {
            apply(String(decoding: data, as: UTF8.self), file: file, to: &configuration, problems: &problems)
        }
        if let listen = environment["SLUICE_LISTEN"], !listen.isEmpty {
            if let (host, port) = Self.hostAndPort(listen) {
                configuration.host = host
                configuration.port = port
            } else {
                problems.append(
                    Self.diagnostic(.invalidValue, "SLUICE_LISTEN must be HOST:PORT", at: SourceLocation(file: "environment", line: 0, column: 0)))
            }
        }
        if let value = environment["SLUICE_DATA_DIR"], !value.isEmpty { configuration.dataDirectory = value }
        if let value = environment["SLUICE_STORE_POSTGRES"], !value.isEmpty {
            do { _ = try PostgresLocation(url: value) } catch {
                problems.append(
                    Self.diagnostic(.invalidValue, "SLUICE_STORE_POSTGRES: \(error)", at: SourceLocation(file: "environment", line: 0, column: 0)))
            }
            configuration.store.postgres = value
        }
        if let value = environment["SLUICE_CERTS_DIR"], !value.isEmpty { configuration.certsDirectory = value }
        if let value = environment["SLUICE_AGREEMENTS_DIR"], !value.isEmpty { configuration.agreementsDirectory = value }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
        return configuration
    }

    /// `host:port`, `[v6]:port` or `:port`.
    public static func hostAndPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    private func apply(_ text: String, file: String, to configuration: inout GatewayConfiguration, problems: inout [Diagnostic]) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return }
            root = node
        } catch {
            problems.append(Self.diagnostic(.yamlSyntax, "\(file) is not valid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        guard let mapping = root.mapping else {
            problems.append(Self.diagnostic(.invalidValue, "\(file) must be a mapping of settings", at: location(root, file)))
            return
        }
        func string(_ node: Node, _ key: String) -> String? {
            guard let value = node.scalar?.string, !value.isEmpty else {
                problems.append(Self.diagnostic(.invalidValue, "\(key) must be a text value", at: location(node, file)))
                return nil
            }
            return value
        }
        func number(_ node: Node, _ key: String) -> Int? {
            guard let text = node.scalar?.string, let value = Self.byteCount(text), value > 0 else {
                problems.append(
                    Self.diagnostic(.invalidValue, "\(key) must be a positive number (sizes may say KiB, MiB or GiB)", at: location(node, file)))
                return nil
            }
            return value
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { continue }
            switch key {
            case "listen":
                if let text = string(value, key) {
                    if let (host, port) = Self.hostAndPort(text) {
                        configuration.host = host
                        configuration.port = port
                    } else {
                        problems.append(Self.diagnostic(.invalidValue, "listen must be HOST:PORT, e.g. 127.0.0.1:8443", at: location(value, file)))
                    }
                }
            case "data_dir": if let text = string(value, key) { configuration.dataDirectory = text }
            case "certs_dir": if let text = string(value, key) { configuration.certsDirectory = text }
            case "agreements_dir": if let text = string(value, key) { configuration.agreementsDirectory = text }
            case "purge_interval_seconds": if let seconds = number(value, key) { configuration.purgeIntervalSeconds = Double(seconds) }
            case "allow_combined_roles":
                switch value.scalar?.string {
                case "true": configuration.allowCombinedRoles = true
                case "false": configuration.allowCombinedRoles = false
                default: problems.append(Self.diagnostic(.invalidValue, "\(key) must be true or false", at: location(value, file)))
                }
            case "time_zone":
                if let text = string(value, key) {
                    if let zone = TimeZone(identifier: text) {
                        configuration.timeZone = zone
                    } else {
                        problems.append(
                            Self.diagnostic(.invalidValue, "\(key) must be an IANA time zone such as Asia/Shanghai", at: location(value, file)))
                    }
                }
            case "tls", "signing", "limits", "checkpoint", "connections", "auth_failures", "store", "gm", "backup":
                guard let section = value.mapping else {
                    problems.append(Self.diagnostic(.invalidValue, "\(key) must be a mapping", at: location(value, file)))
                    continue
                }
                for (innerKey, inner) in section {
                    guard let name = innerKey.scalar?.string else { continue }
                    let path = key + "." + name
                    switch path {
                    case "tls.certificate": configuration.tlsCertificate = string(inner, path)
                    case "tls.key": configuration.tlsKey = string(inner, path)
                    case "tls.client_ca": configuration.clientCA = string(inner, path)
                    case "signing.certificate": configuration.signingCertificate = string(inner, path)
                    case "signing.key": configuration.signingKey = string(inner, path)
                    case "limits.max_body_bytes": if let n = number(inner, path) { configuration.limits.maxBodyBytes = n }
                    case "limits.max_records": if let n = number(inner, path) { configuration.limits.maxRecords = n }
                    case "limits.max_field_bytes": if let n = number(inner, path) { configuration.limits.maxFieldBytes = n }
                    case "limits.max_record_bytes": if let n = number(inner, path) { configuration.limits.maxRecordBytes = n }
                    case "limits.max_depth": if let n = number(inner, path) { configuration.limits.maxDepth = n }
                    case "checkpoint.every_entries": if let n = number(inner, path) { configuration.checkpointEveryEntries = UInt64(n) }
                    case "checkpoint.interval_seconds": if let n = number(inner, path) { configuration.checkpointIntervalSeconds = Double(n) }
                    case "connections.max_open": if let n = number(inner, path) { configuration.connections.maxOpen = n }
                    case "connections.handshake_seconds": if let n = number(inner, path) { configuration.connections.handshakeSeconds = n }
                    case "connections.idle_seconds": if let n = number(inner, path) { configuration.connections.idleSeconds = n }
                    case "connections.request_head_seconds": if let n = number(inner, path) { configuration.connections.requestHeadSeconds = n }
                    case "connections.body_seconds": if let n = number(inner, path) { configuration.connections.bodySeconds = n }
                    case "connections.body_idle_seconds": if let n = number(inner, path) { configuration.connections.bodyIdleSeconds = n }
                    case "connections.uploads_per_agency": if let n = number(inner, path) { configuration.connections.uploadsPerAgency = n }
                    case "auth_failures.interval_seconds": if let n = number(inner, path) { configuration.authenticationFailures.intervalSeconds = n }
                    case "auth_failures.max_sources": if let n = number(inner, path) { configuration.authenticationFailures.maxSources = n }
                    case "gm.ca": configuration.gmCA = string(inner, path)
                    case "gm.certificate": configuration.gmSigningCertificate = string(inner, path)
                    case "gm.key": configuration.gmSigningKey = string(inner, path)
                    case "store.min_free_bytes": if let n = number(inner, path) { configuration.store.minimumFreeBytes = UInt64(n) }
                    case "store.check_seconds": if let n = number(inner, path) { configuration.store.checkSeconds = n }
                    case "store.anchor": configuration.store.anchor = string(inner, path)
                    case "store.postgres":
                        guard let url = string(inner, path) else { break }
                        do { _ = try PostgresLocation(url: url) } catch {
                            problems.append(Self.diagnostic(.invalidValue, "\(path): \(error)", at: location(inner, file)))
                        }
                        configuration.store.postgres = url
                    case "store.password_file": configuration.store.passwordFile = string(inner, path)
                    case "backup.certificate": configuration.backup.certificate = string(inner, path)
                    case "backup.key": configuration.backup.key = string(inner, path)
                    case "backup.directory": configuration.backup.directory = string(inner, path)
                    case "backup.interval_seconds": if let n = number(inner, path) { configuration.backup.intervalSeconds = n }
                    case "backup.keep": if let n = number(inner, path) { configuration.backup.keep = n }
                    case "backup.include_keys":
                        switch string(inner, path) {
                        case "true": configuration.backup.includeKeys = true
                        case "false": configuration.backup.includeKeys = false
                        case nil: break
                        default:
                            problems.append(Self.diagnostic(.invalidValue, "\(path) must be true or false", at: location(inner, file)))
                        }
                    default:
                        problems.append(Self.diagnostic(.unknownKey, "unknown setting \(path)", at: location(innerKey, file)))
                    }
                }
            default:
                var message = "unknown setting \(key)"
                if let hint = NearestName.suggestion(for: key, among: Array(Self.keys)) { message += "; did you mean \"\(hint)\"?" }
                problems.append(Self.diagnostic(.unknownKey, message, at: location(keyNode, file)))
            }
        }
    }

    static func diagnostic(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(code, at: location, message)
    }

    /// `65536`, `64 KiB`, `10 MiB`, `1 GiB`.
    static func byteCount(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard let first = parts.first, let value = Int(first), parts.count <= 2 else { return nil }
        guard parts.count == 2 else { return value }
        switch parts[1] {
        case "KiB": return value << 10
        case "MiB": return value << 20
        case "GiB": return value << 30
        default: return nil
        }
    }

    private func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0))
    }
}
