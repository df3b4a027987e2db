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
/// agreements, its keys, the database with its audit trail, and the shared parts of
/// request handling (limits, cursors, the committer, the blocking pool). The files are read
/// by ``GatewayFiles`` and what an operator should know by ``StartupWarnings``; this type
/// only puts them together.
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
    public let store: any GatewayStore
    public let trail: AuditTrail
    let threadPool: NIOThreadPool
    let rateLimiter = SubmissionRateLimiter()
    let uploads: UploadSlots
    /// Seals the inbox's `next_cursor`.
    let inboxCursor: InboxCursor
    let today: CurrentDay
    public let metrics = GatewayMetrics()
    let storage = StorageHealth()
    /// The officers' full verification of the trail, one at a time.
    let verificationRun = AuditVerificationRun()
    let authenticationFailures: AuthenticationFailureLedger
    let committer: SubmissionCommitter
    let commitThread: NIOThreadPool
    /// What an operator should know at start: agreement files that differ from the
    /// versions applied, stored versions that no longer validate.
    public let startupWarnings: [String]
    /// Entries name the gateway itself by its log's name.
    public var gatewayActor: AuditActor { AuditActor(kind: .gateway, id: trail.signer.name) }

    /// The rollback an operator accepted at this start, if any: recorded in its entry.
    let acceptedRollback: CheckpointAnchor.Problem?
    /// The time requests' deadlines are made from and held against (a test moves it on).
    let clock: @Sendable () -> Date

    public init(configuration: GatewayConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.configuration = configuration
        self.clock = clock
        today = CurrentDay(timeZone: configuration.timeZone)
        authenticationFailures = AuthenticationFailureLedger(maximumSources: configuration.authenticationFailures.maxSources, metrics: metrics)
        let files = try GatewayFiles(configuration: configuration)
        (keys, enrolment, pseudonymSecret, store, trail) = (files.keys, files.enrolment, files.pseudonymSecret, files.store, files.trail)
        acceptedRollback = try Self.checkAnchor(configuration: configuration, store: files.store, trail: files.trail)
        let (snapshot, catalog) = try files.registry(configuration: configuration)
        registry = RegistryCache(snapshot)
        startupWarnings = StartupWarnings.warnings(catalog: catalog, registry: snapshot, agreementsDirectory: configuration.agreementsDirectory)
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

    /// Refuses a store behind the checkpoint kept outside it, unless the operator accepts.
    private static func checkAnchor(configuration: GatewayConfiguration, store: any GatewayStore, trail: AuditTrail) throws
        -> CheckpointAnchor.Problem?
    {
        let anchor = CheckpointAnchor(path: configuration.resolvedCheckpointAnchor)
        guard let note = try anchor.read() else { return nil }
        let published = CheckpointKeyFile(dataDirectory: configuration.dataDirectory, certsDirectory: configuration.certsDirectory).verifierPath
        let verifiers = [trail.signer.verifier] + ((try? CheckpointKeyFile.readVerifiers(at: published)) ?? [])
        let problem = try store.read { store in
            try CheckpointAnchor.problem(anchor: note, verifiers: verifiers, storeSize: try store.audit.size()) { size in
                try store.audit.tree(size: size).root()
            }
        }
        guard let problem else { return nil }
        guard configuration.acceptRollback else {
            throw GatewayStartupError(
                "\(problem.description) (\(anchor.path)). Put the latest store back, or start with --accept-rollback to go on from this one (the start's audit entry records it)"
            )
        }
        return problem
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
        // By id and profile: a new version may change the profile, and with it the MAC.
        let name = agreement.id + "|" + agreement.cryptoProfile.rawValue
        if let known = pseudonymizers.withLock({ $0[name] }) { return known }
        let derived = AgreementPseudonymizer(secret: pseudonymSecret, agreementID: agreement.id, profile: agreement.cryptoProfile)
        pseudonymizers.withLock { $0[name] = derived }
        return derived
    }
}
