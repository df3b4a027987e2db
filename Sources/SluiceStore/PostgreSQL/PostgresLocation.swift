import Foundation
import NIOSSL
import PostgresNIO

/// How to reach a gateway's PostgreSQL store: `postgres://user@host:port/database`, with
/// `sslmode` (`verify-full`, the default: TLS with the server's certificate checked against
/// `sslrootcert` or the system's roots and its name; `require`: TLS without that check;
/// `disable`), `sslcert` and `sslkey` for a client certificate, and the password read from a
/// file rather than written in the URL.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    public var rootCertificate: String?
    public var clientCertificate: String?
    public var clientKey: String?
    public var passwordFile: String?
    /// A password written in the URL: accepted, never shown (``description`` leaves it out).
    var password: String?

    /// Reads `url`; `passwordFile` holds the password (its first line).
    public init(url: String, passwordFile: String? = nil) throws(StoreError) {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw .cannotOpen(path: "the store URL", reason: "expected postgres://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .cannotOpen(path: "the store URL", reason: "it names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .cannotOpen(path: "the store URL", reason: "it names no user (postgres://user@host/database)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .cannotOpen(path: "the store URL", reason: "it names no database (postgres://user@host/database)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.database = database
        self.password = components.password
        self.passwordFile = passwordFile
        self.tls = .verifyFull
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw .cannotOpen(path: "the store URL", reason: "sslmode must be verify-full, require or disable")
                }
                tls = mode
            case "sslrootcert": rootCertificate = item.value
            case "sslcert": clientCertificate = item.value
            case "sslkey": clientKey = item.value
            default:
                throw .cannotOpen(
                    path: "the store URL", reason: "unknown parameter \"\(Self.printable(item.name))\" (sslmode, sslrootcert, sslcert, sslkey)")
            }
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw .cannotOpen(path: "the store URL", reason: "sslcert and sslkey go together")
        }
        // The driver checks a certificate's name only against a host name: with an address
        // it would check the chain alone, which is not what verify-full promises.
        if tls == .verifyFull, Self.isAddress(host) {
            throw .cannotOpen(
                path: "the store URL", reason: "sslmode verify-full needs the server's name, not an address (or say sslmode=require)")
        }
        if clientCertificate != nil, tls == .disable {
            throw .cannotOpen(path: "the store URL", reason: "a client certificate needs TLS (sslmode other than disable)")
        }
    }

    /// The URL without its password.
    public var description: String {
        var text = "postgres://\(user)@\(host):\(port)/\(database)"
        if tls != .verifyFull { text += "?sslmode=\(tls.rawValue)" }
        return text
    }

    /// The connection settings, with the password read now from its file.
    func configuration() throws(StoreError) -> PostgresConnection.Configuration {
        var password = self.password
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw .cannotOpen(path: description, reason: "cannot read the password file \(passwordFile)")
            }
            password = String(text.prefix { $0 != "\n" && $0 != "\r" })
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try tlsSetting())
        configuration.options.connectTimeout = .seconds(5)
        // A gateway that vanishes mid-transaction (its host lost, no TCP reset) must not
        // hold the write lock for the others: the server ends a session idle inside a
        // transaction, probes quiet connections, and bounds waits for locks and statements.
        configuration.options.additionalStartupParameters = [
            ("application_name", "sluice"), ("idle_in_transaction_session_timeout", "15000"), ("lock_timeout", "20000"),
            ("statement_timeout", "60000"), ("tcp_keepalives_idle", "10"), ("tcp_keepalives_interval", "5"), ("tcp_keepalives_count", "3"),
        ]
        return configuration
    }

    private func tlsSetting() throws(StoreError) -> PostgresConnection.Configuration.TLS {
        guard tls != .disable else { return .disable }
        var settings = TLSConfiguration.makeClientConfiguration()
        settings.minimumTLSVersion = .tlsv12
        do {
            if tls == .require {
                settings.certificateVerification = .none
            } else {
                settings.certificateVerification = .fullVerification
                if let rootCertificate { settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate)) }
            }
            if let clientCertificate, let clientKey {
                settings.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate).map { .certificate($0) }
                settings.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKey, format: .pem))
            }
            return .require(try NIOSSLContext(configuration: settings))
        } catch {
            throw .cannotOpen(path: description, reason: "cannot set up TLS for the database connection: \(error)")
        }
    }

    private static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }

    /// A name from the URL as it may be shown: printable ASCII only, at most 40 characters.
    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.prefix(40).map { (0x21...0x7E).contains($0.value) ? Character($0) : "?" })
    }
}
