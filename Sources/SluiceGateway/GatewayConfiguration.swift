import Foundation
import SluiceAudit
import SluiceCrypto
import SluiceStore

/// Everything `sluice serve` needs to know, with development defaults that match what
/// `sluice init` creates. Read from `sluice.yaml`; `SLUICE_*` environment variables and
/// command-line flags override it (see ``GatewayConfigurationLoader``).
public struct GatewayConfiguration: Sendable, Hashable {
    public var host = "127.0.0.1"
    public var port = 8443
    public var dataDirectory = ".sluice"
    /// Where the store is: the PostgreSQL database `store.postgres` names, else the SQLite
    /// file in the data directory.
    public func storeLocation() throws(StoreError) -> StoreLocation {
        guard let url = store.postgres else { return .dataDirectory(dataDirectory) }
        return .postgres(try PostgresLocation(url: url, passwordFile: store.passwordFile))
    }
    public var certsDirectory = "Certs"
    public var agreementsDirectory = "Agreements"
    /// Paths; nil means the development layout under the data and certs folders.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// CA certificates that client (agency) certificates must chain to.
    public var clientCA: String?
    public var signingCertificate: String?
    public var signingKey: String?
    /// The GM profile: the SM2 CA agencies' SM2 certificates chain to, and the gateway's
    /// SM2 signing certificate and key. Nil means the development layout of `sluice init
    /// --gm`, used when its files exist.
    public var gmCA: String?
    public var gmSigningCertificate: String?
    public var gmSigningKey: String?
    public var limits = Limits()
    public var connections = Connections()
    public var authenticationFailures = AuthenticationFailures()
    public var store = Store()
    public var backup = Backup()
    public var checkpointEveryEntries: UInt64 = 1000
    public var checkpointIntervalSeconds: Double = 60
    public var purgeIntervalSeconds: Double = 3600
    /// Separation of duties: one identity may hold only one of partner, admin and auditor
    /// unless this is set (and the gateway records at start that it is).
    public var allowCombinedRoles = false
    /// The time zone agreements' dates and validity windows are read in.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// Caps on what one request may carry; an agreement's own limits apply on top.
    public struct Limits: Sendable, Hashable {
        public var maxBodyBytes = 64 << 20
        public var maxRecords = 1_000_000
        public var maxFieldBytes = 64 << 10
        public var maxRecordBytes = 1 << 20
        public var maxDepth = 16
        public init() {}
    }

    /// What one connection may take: the door stays open for partners, not for whoever
    /// holds it. Defaults for a district gateway (a few dozen agencies).
    public struct Connections: Sendable, Hashable {
        /// Open connections at once; past it a new one is closed at once and counted.
        public var maxOpen = 1024
        /// From TCP accept to a completed TLS handshake.
        public var handshakeSeconds = 10
        /// Keep-alive: no request for this long closes the connection.
        public var idleSeconds = 60
        /// From a request's first byte to the end of its head.
        public var requestHeadSeconds = 10
        /// From the end of a request's head to the end of its body.
        public var bodySeconds = 300
        /// The longest pause while a body is being sent.
        public var bodyIdleSeconds = 30
        /// Submissions one agency may have in progress at once.
        public var uploadsPerAgency = 8
        public init() {}
    }

    /// How failed authentications (TLS handshakes, unregistered or revoked certificates)
    /// enter the audit trail: one entry per source address and reason per interval, with
    /// the count, and at most `maxSources` such entries (the rest folded into one) per
    /// interval. Every failure is counted in `/metrics` as it happens.
    public struct AuthenticationFailures: Sendable, Hashable {
        public var intervalSeconds = 60
        public var maxSources = 20
        public init() {}
    }

    /// How the gateway watches the storage under its database. Below `minimumFreeBytes`
    /// free it refuses new work (507) before the disk is full, so that what it must
    /// still write (the audit trail, a final checkpoint) has room.
    public struct Store: Sendable, Hashable {
        public var minimumFreeBytes: UInt64 = 64 << 20
        public var checkSeconds = 2
        /// Where the latest checkpoint is kept outside the database (``CheckpointAnchor``).
        public var anchor: String?
        /// `postgres://user@host:port/database?sslmode=…`: the gateway's state in PostgreSQL,
        /// shared with every gateway configured the same; nil keeps it in SQLite.
        public var postgres: String?
        /// The file holding the PostgreSQL password (its first line).
        public var passwordFile: String?
        public init() {}
    }

    /// Backups: the certificate they are encrypted to, and where its private key is when
    /// this host may open them (development; in production it is kept elsewhere).
    public struct Backup: Sendable, Hashable {
        public var certificate: String?
        public var key: String?
        /// Scheduled backups: into this folder, every `intervalSeconds`, the newest `keep`
        /// kept. None without a folder.
        public var directory: String?
        public var intervalSeconds = 86_400
        public var keep = 7
        public var includeKeys = false
        public init() {}
    }

    public init() {}

    /// Start on a store behind the checkpoint kept outside it (`serve --accept-rollback`).
    public var acceptRollback = false

    /// The `sluice.yaml` this configuration was read from, if any: scheduled backups carry it.
    public var sourceFile: String?

    public var resolvedCheckpointAnchor: String { store.anchor ?? certsDirectory + "/audit-checkpoint.latest" }

    public var resolvedBackupCertificate: String { backup.certificate ?? certsDirectory + "/backup.pem" }
    public var resolvedBackupKey: String { backup.key ?? dataDirectory + "/keys/backup.key.pem" }

    public var resolvedTLSCertificate: String { tlsCertificate ?? certsDirectory + "/gateway-tls.pem" }
    public var resolvedTLSKey: String { tlsKey ?? dataDirectory + "/keys/gateway-tls.key.pem" }
    public var resolvedClientCA: String { clientCA ?? certsDirectory + "/dev-ca.pem" }
    public var resolvedSigningCertificate: String { signingCertificate ?? certsDirectory + "/gateway-signing.pem" }
    public var resolvedSigningKey: String { signingKey ?? dataDirectory + "/keys/gateway-signing.key.pem" }

    public var resolvedGMCA: String { gmCA ?? certsDirectory + "/dev-ca-sm2.pem" }
    public var resolvedGMSigningCertificate: String { gmSigningCertificate ?? certsDirectory + "/gateway-signing-sm2.pem" }
    public var resolvedGMSigningKey: String { gmSigningKey ?? dataDirectory + "/keys/gateway-signing-sm2.key.pem" }

    /// The SM2 CAs of `gm.ca`: none when it is not set and the development file is absent;
    /// an error when it names a file without SM2 certificates.
    public func gmAuthorities() throws -> [SM2Certificate] {
        guard let data = FileManager.default.contents(atPath: resolvedGMCA) else {
            if gmCA != nil { throw GatewayStartupError("gm.ca: cannot read \(resolvedGMCA)") }
            return []
        }
        let blocks = SM2Certificate.pemBlocks(String(decoding: data, as: UTF8.self))
        let authorities = blocks.compactMap { try? SM2Certificate(derEncoded: $0) }
        guard !authorities.isEmpty, authorities.count == blocks.count else {
            throw GatewayStartupError("gm.ca: \(resolvedGMCA) must hold SM2 CA certificates only")
        }
        return authorities
    }

    /// Whether every key and certificate comes from the development layout `sluice init` makes.
    public var usesDevelopmentCertificates: Bool {
        tlsCertificate == nil && tlsKey == nil && clientCA == nil && signingCertificate == nil && signingKey == nil
    }

    /// What the registry accepts as an agency's certificate and roles: certificates
    /// issued by the client CA, one duty per identity unless `allow_combined_roles`.
    public func enrolmentPolicy() throws -> EnrolmentPolicy {
        EnrolmentPolicy(
            certificates: AgencyCertificateCheck(authorities: try CertificateFile.read(resolvedClientCA)),
            allowsCombinedRoles: allowCombinedRoles, gmAuthorities: try gmAuthorities())
    }

    public var checkpointPolicy: CheckpointPolicy {
        CheckpointPolicy(everyEntries: checkpointEveryEntries, interval: checkpointIntervalSeconds)
    }
}
