import Foundation
import NIOPosix
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceStore
import Synchronization
import X509

/// Crypto and masking do not import each other; the gateway joins them.
extension AgreementPseudonymizer: Pseudonymizer {}

/// What the running gateway holds: configuration, the registry of agencies and
/// agreements, its keys, and the database with its audit trail. Loaded once at start;
/// every check that can fail does so here, with a message saying what to fix.
public final class GatewayState: Sendable {
    public let configuration: GatewayConfiguration
    let registry: RegistryCache
    let keys: GatewayKeys
    let pseudonymSecret: PseudonymSecret
    /// What the registry accepts as an agency's certificate and roles.
    let enrolment: EnrolmentPolicy
    /// Each agreement's pseudonym key, derived once: HKDF on every submission cost more
    /// than routing it. The secret does not change while the gateway runs.
    private let pseudonymizers = Mutex<[String: AgreementPseudonymizer]>([:])
    /// What each client certificate seen says of itself, by its DER bytes.
    let presentedCertificates = PresentedCertificateCache()
    public let database: GatewayDatabase
    public let trail: AuditTrail
    let threadPool: NIOThreadPool
    let rateLimiter = SubmissionRateLimiter()
    let uploads: UploadSlots
    /// Seals the inbox's `next_cursor`.
    let inboxCursor: InboxCursor
    let today: CurrentDay
    public let metrics = GatewayMetrics()
    let authenticationFailures: AuthenticationFailureLedger
    let committer: SubmissionCommitter
    let commitThread: NIOThreadPool
    /// What an operator should know at start: agreement files that differ from the
    /// versions applied, stored versions that no longer validate.
    public let startupWarnings: [String]
    /// Entries name the gateway itself by its log's name.
    public var gatewayActor: AuditActor { AuditActor(kind: .gateway, id: trail.signer.name) }

    public init(configuration: GatewayConfiguration) throws {
        self.configuration = configuration
        today = CurrentDay(timeZone: configuration.timeZone)
        authenticationFailures = AuthenticationFailureLedger(maximumSources: configuration.authenticationFailures.maxSources, metrics: metrics)
        do {
            let signingKey = try SigningKey(file: PrivateKeyFile(path: configuration.resolvedSigningKey))
            let chain = try CertificateFile.read(configuration.resolvedSigningCertificate)
            keys = try GatewayKeys(signingKey: signingKey, chain: chain)
            // The TLS key is held to the same rule as the others: readable by its owner only.
            _ = try OwnerOnlyFile(path: configuration.resolvedTLSKey).read()
            enrolment = try configuration.enrolmentPolicy()
            pseudonymSecret = try PseudonymSecret.read(from: PseudonymSecret.path(inDataDirectory: configuration.dataDirectory))
            let checkpointKey = try CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory)
                .readSigner()
            database = try GatewayDatabase(path: GatewayDatabase.path(inDataDirectory: configuration.dataDirectory), create: true)
            trail = AuditTrail(database: database, signer: checkpointKey, policy: configuration.checkpointPolicy)
        } catch {
            throw GatewayStartupError("\(error) (for a development setup, run `sluice init` first)")
        }
        // The folder fills an empty registry (a first start); afterwards the registry is
        // the truth and the files are the admins' drafts, applied with `sluice agreement apply`.
        let catalog = AgreementCatalog.load(
            paths: [configuration.agreementsDirectory],
            registryPath: configuration.agreementsDirectory + "/" + AgreementCatalog.registryFileName)
        let snapshot: RegistrySnapshot
        do {
            _ = try RegistryBootstrap(trail: trail, actor: AuditActor(kind: .gateway, id: trail.signer.name), policy: enrolment)
                .importIfEmpty(catalog, certsDirectory: configuration.certsDirectory)
            snapshot = try database.read { db in try RegistrySnapshot.load(db) }
        } catch {
            throw GatewayStartupError(
                "the registry is empty and \(configuration.agreementsDirectory) cannot fill it: \(error); run `sluice agreement validate \(configuration.agreementsDirectory)`"
            )
        }
        registry = RegistryCache(snapshot)
        var warnings = snapshot.problems
        for located in catalog.agreements {
            guard let applied = snapshot.agreements[located.agreement.id] else {
                warnings.append("\(located.file) is not applied; run `sluice agreement apply \(located.file)`")
                continue
            }
            var fileTerms = located.agreement
            fileTerms.status = applied.agreement.status
            if fileTerms != applied.agreement {
                warnings.append(
                    "\(located.file) differs from the applied version \(applied.version) of \(located.agreement.id); the gateway uses version \(applied.version) until you run `sluice agreement apply \(located.file)`"
                )
            }
        }
        for agency in catalog.registry?.agencies ?? [] where snapshot.agencies[agency.id] == nil {
            warnings.append(
                "agency \(agency.id) is in \(configuration.agreementsDirectory)/\(AgreementCatalog.registryFileName) but not registered; run `sluice agency add \(agency.id) --name … --cert … --role …`"
            )
        }
        startupWarnings = warnings
        uploads = UploadSlots(perAgency: configuration.connections.uploadsPerAgency)
        inboxCursor = InboxCursor(secret: pseudonymSecret)
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        // Commits get a thread of their own: queued behind sealing work they would hold
        // every request of their group back.
        commitThread = NIOThreadPool(numberOfThreads: 1)
        commitThread.start()
        committer = SubmissionCommitter(trail: trail, keys: keys, threadPool: commitThread, metrics: metrics)
    }

    deinit {
        threadPool.shutdownGracefully { _ in }
        commitThread.shutdownGracefully { _ in }
    }

    /// Runs blocking work (SQLite with fsync, sealing large payloads) off the
    /// cooperative thread pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threadPool.runIfActive(body)
    }

    /// Appends one entry on its own, durably.
    func record(_ event: AuditEvent) async throws {
        let trail = self.trail
        _ = try await blocking { try trail.record(event) }
    }

    func pseudonymizer(for agreement: Agreement) -> AgreementPseudonymizer {
        if let known = pseudonymizers.withLock({ $0[agreement.id] }) { return known }
        let derived = AgreementPseudonymizer(secret: pseudonymSecret, agreementID: agreement.id)
        pseudonymizers.withLock { $0[agreement.id] = derived }
        return derived
    }
}
