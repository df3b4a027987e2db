import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore
import SluiceTestSupport
import Testing

/// What every ``GatewayStore`` must do for the gateway, through the interface alone (this
/// file imports the store without `@testable`, so it sees what another implementation
/// would have to provide and nothing of SQLite). Each test runs once per implementation.
@Suite("Store interface, per implementation") struct StoreConformanceTests {
    /// The implementations under test.
    enum Implementation: String, CaseIterable, CustomTestStringConvertible {
        case sqlite
        case postgres

        var testDescription: String { rawValue }

        func open() throws -> OpenStore {
            let folder = NSTemporaryDirectory() + "sluice-conformance-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            switch self {
            case .sqlite:
                let location = StoreLocation.dataDirectory(folder)
                #expect(!location.exists)
                #expect(throws: StoreError.self) { try location.open() }
                let store = try location.open(create: true)
                #expect(location.exists)
                return try OpenStore(store: store, folder: folder)
            case .postgres:
                let cluster = try PostgresCluster.shared.get()
                let database = try cluster.makeDatabase()
                let location = StoreLocation.postgres(try PostgresLocation(url: database.url))
                #expect(!location.exists)
                #expect(throws: StoreError.self) { try location.open() }
                let store = try location.open(create: true)
                #expect(location.exists)
                return try OpenStore(store: store, folder: folder)
            }
        }
    }

    /// A store with an audit trail over it, in a folder removed afterwards.
    struct OpenStore {
        let store: any GatewayStore
        let folder: String
        let signer: NoteSignerKey
        let trail: AuditTrail

        init(store: any GatewayStore, folder: String) throws {
            self.store = store
            self.folder = folder
            signer = try NoteSignerKey.generate(name: "conformance.sluice.example/audit")
            trail = AuditTrail(store: store, signer: signer, policy: CheckpointPolicy(everyEntries: 1_000, interval: 3600))
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    static let time = "2026-12-05T10:00:00Z"

    static func package(_ id: String, consumer: String = "district-procuratorate", agreement: String = "psb-household-check", key: String? = nil)
        -> StoredPackage
    {
        StoredPackage(
            id: id, agreementID: agreement, agreementVersion: 1, provider: "district-psb", consumer: consumer, createdAt: time,
            expiresAt: "2026-12-20T00:00:00Z", records: 3, envelopeBytes: envelope.compactCount,
            bodySHA256: String(repeating: "a", count: 64), idempotencyKey: key, receipt: "receipt-of-" + id)
    }

    static let envelope = SealedEnvelope(
        encodedHeader: "eyJhbGciOiJ4In0", encryptedKey: Data([1, 2, 3]), iv: Data(repeating: 4, count: 12),
        ciphertext: Data((0..<300).map { UInt8($0 & 0xFF) }), tag: Data(repeating: 5, count: 16))

    static func event(_ action: AuditAction, package: String? = nil) -> AuditEvent {
        AuditEvent(
            actor: AuditActor(kind: .agency, id: "district-psb", certificateFingerprint: String(repeating: "ab", count: 32)),
            action: action, outcome: .success, agreementID: "psb-household-check", agreementVersion: 1, packageID: package)
    }

    @Test(arguments: Implementation.allCases) func aSubmissionIsStoredWithItsEntryAndServedThroughTheInbox(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        let commit = try opened.trail.commit { (transaction) throws in
            try transaction.packages.insert(Self.package("p1", key: "k1"), envelope: Self.envelope)
            try transaction.packages.insert(Self.package("p2"), envelope: Self.envelope)
            try transaction.packages.insert(Self.package("p3", agreement: "tax-check"), envelope: Self.envelope)
            try transaction.packages.insert(Self.package("other", consumer: "district-tax"), envelope: Self.envelope)
            return try transaction.append(contentsOf: ["p1", "p2", "p3", "other"].map { Self.event(.submitAccepted, package: $0) })
        }
        #expect(commit.value.map(\.sequence) == [0, 1, 2, 3])
        try opened.store.read { (store) throws in
            #expect(try store.audit.size() == 4)
            #expect(try store.packages.package(id: "p1") == Self.package("p1", key: "k1"))
            #expect(try store.packages.envelope(id: "p1")?.compact == Self.envelope.compact)
            #expect(try store.packages.envelope(id: "missing") == nil)
            // Idempotency keys are scoped to the provider and the agreement.
            #expect(try store.packages.package(provider: "district-psb", agreement: "psb-household-check", idempotencyKey: "k1")?.id == "p1")
            #expect(try store.packages.package(provider: "district-psb", agreement: "tax-check", idempotencyKey: "k1") == nil)
            #expect(try store.packages.package(provider: "district-tax", agreement: "psb-household-check", idempotencyKey: "k1") == nil)

            // The consumer's inbox under one agreement, a page at a time; the other
            // agreement's package is counted as withheld.
            let first = try store.packages.inbox(consumer: "district-procuratorate", agreements: ["psb-household-check"], after: nil, limit: 1)
            #expect(first.packages.map(\.id) == ["p1"])
            #expect(first.withheld == 1)
            let second = try store.packages.inbox(
                consumer: "district-procuratorate", agreements: ["psb-household-check"], after: first.next, limit: 1)
            #expect(first.next != nil)
            #expect(second.packages.map(\.id) == ["p2"])
            #expect(second.next == nil)
            let outstanding = try store.packages.outstanding(at: Self.time)
            #expect(outstanding.unfetched == ["psb-household-check": 3, "tax-check": 1])
            #expect(outstanding.pastRetention.isEmpty)
        }
        // Fetching and acknowledging change what the inbox and the counts show.
        _ = try opened.trail.commit { (transaction) throws in
            try transaction.packages.markFetched(id: "p1", at: Self.time)
            #expect(try transaction.packages.acknowledge(id: "p1", at: Self.time))
            #expect(try !transaction.packages.acknowledge(id: "p1", at: Self.time))
            try transaction.append(Self.event(.packageAcknowledged, package: "p1"))
        }
        try opened.store.read { (store) throws in
            let inbox = try store.packages.inbox(consumer: "district-procuratorate", agreements: ["psb-household-check"], after: nil, limit: 10)
            #expect(inbox.packages.map(\.id) == ["p2"])
            let all = try store.packages.inbox(
                consumer: "district-procuratorate", agreements: ["psb-household-check"], after: nil, limit: 10, includeAcknowledged: true)
            #expect(all.packages.map(\.id) == ["p1", "p2"])
            #expect(try store.packages.package(id: "p1")?.acknowledgedAt == Self.time)
            let outstanding = try store.packages.outstanding(at: "2026-12-21T00:00:00Z")
            #expect(outstanding.unfetched["psb-household-check"] == 2)
            #expect(outstanding.unacknowledged["psb-household-check"] == 2)
            #expect(outstanding.pastRetention["psb-household-check"] == 3)
            #expect(try store.packages.expired(before: "2026-12-21T00:00:00Z", limit: 10).count == 4)
        }
        _ = try opened.trail.commit { transaction in try transaction.packages.delete(id: "p2") }
        #expect(try opened.store.read { try $0.packages.package(id: "p2") } == nil)
    }

    @Test(arguments: Implementation.allCases) func aFailedCommitLeavesNothing(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        struct Refusal: Error {}
        #expect(throws: Refusal.self) {
            _ = try opened.trail.commit { (transaction) throws in
                try transaction.packages.insert(Self.package("p1"), envelope: Self.envelope)
                try transaction.append(Self.event(.submitAccepted, package: "p1"))
                _ = try transaction.signCheckpoint()
                throw Refusal()
            }
        }
        try opened.store.read { (store) throws in
            #expect(try store.packages.package(id: "p1") == nil)
            #expect(try store.audit.size() == 0)
            #expect(try store.audit.latestCheckpoint() == nil)
        }
        // The trail goes on from where it was.
        let entry = try opened.trail.record(Self.event(.inboxListed))
        #expect(entry.sequence == 0)
    }

    @Test(arguments: Implementation.allCases) func theAuditLogReadsBackItsTreeEntriesAndCheckpoints(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        var written: [AuditEntry] = []
        for group in 0..<7 {
            let commit = try opened.trail.commit { (transaction) throws in
                try transaction.append(contentsOf: (0..<(group + 1)).map { _ in Self.event(group % 2 == 0 ? .inboxListed : .packageFetched) })
            }
            written += commit.entries
        }
        let checkpoint = try #require(try opened.trail.checkpoint())
        #expect(checkpoint.size == 28)
        #expect(try opened.trail.checkpoint() == nil)
        try opened.store.read { (store) throws in
            #expect(try store.audit.size() == 28)
            // The tree over the stored hashes is the tree over the entries' own text.
            var leaves: [MerkleHash] = []
            try store.audit.forEachEntry { stored in
                #expect(stored.sequence == UInt64(leaves.count))
                #expect(stored.leafHash == Data(MerkleHash.leaf(Data(stored.json.utf8)).bytes))
                leaves.append(MerkleHash.leaf(Data(stored.json.utf8)))
            }
            #expect(leaves.count == 28)
            for size in [1, 5, 16, 17, 28] as [UInt64] {
                let root = try store.audit.tree(size: size).root()
                let expected = try MerkleTree(size: size) { level, index in try Self.subtree(leaves, level: level, index: index) }.root()
                #expect(root == expected)
            }
            #expect(try store.audit.entry(at: 27)?.json == String(decoding: written[27].canonicalJSON, as: UTF8.self))
            #expect(try store.audit.entry(at: 28) == nil)
            var fetched = AuditFilter()
            fetched.action = .packageFetched
            #expect(try store.audit.entries(fetched).count == 2 + 4 + 6)
            var newest = AuditFilter()
            newest.newestFirst = true
            newest.limit = 3
            #expect(try store.audit.entries(newest).map(\.sequence) == [27, 26, 25])
            #expect(try store.audit.latestCheckpoint() == checkpoint)
            // The policy signs one with the first entry (none before), then none is due
            // until the one asked for.
            #expect(try store.audit.checkpoints().map(\.size) == [1, 28])
            #expect(try store.audit.latestEntryTime() != nil)
        }
        let note = try SignedNote.open(checkpoint.note, verifiers: [opened.signer.verifier])
        #expect(try Checkpoint(text: note.text).root == opened.store.read { try $0.audit.tree(size: 28).root() })
        let verification = try AuditVerifier(store: opened.store, verifiers: [opened.signer.verifier]).verify()
        #expect(verification.findings.isEmpty)
        #expect(verification.size == 28)
    }

    @Test(arguments: Implementation.allCases) func registryChangesMoveItsGeneration(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        let before = try opened.store.read { try $0.registryGeneration() }
        #expect(try opened.store.read { try $0.agencies.isEmpty() && $0.agreements.isEmpty() })
        _ = try opened.trail.commit { (transaction) throws in
            try transaction.agencies.insertAgency(id: "district-psb", name: "District PSB", roles: [.partner], at: Self.time, by: "admin")
            try transaction.agencies.insertCertificate(
                agencyID: "district-psb", fingerprint: "f1", der: Data([0x30, 0x00]), at: Self.time, by: "admin")
        }
        let afterAgency = try opened.store.read { try $0.registryGeneration() }
        #expect(afterAgency != before)
        try opened.store.read { (store) throws in
            #expect(try store.agencies.agency("district-psb")?.certificates.map(\.fingerprint) == ["f1"])
            #expect(try store.agencies.owner(of: "f1") == "district-psb")
            #expect(try store.agencies.all().map(\.id) == ["district-psb"])
        }
        let version = AgreementVersion(
            agreementID: "psb-household-check", version: 1, document: "id: psb-household-check\n", documentSHA256: String(repeating: "c", count: 64),
            appliedAt: Self.time, appliedBy: "admin")
        _ = try opened.trail.commit { (transaction) throws in
            try transaction.agreements.insert(version)
            try transaction.agreements.insert(
                AgreementStateChange(
                    agreementID: "psb-household-check", status: .suspended, reason: "review", changedAt: Self.time, changedBy: "admin"))
        }
        let afterAgreement = try opened.store.read { try $0.registryGeneration() }
        #expect(afterAgreement != afterAgency)
        try opened.store.read { (store) throws in
            #expect(try store.agreements.latestVersion(of: "psb-household-check") == version)
            #expect(try store.agreements.version(2, of: "psb-household-check") == nil)
            #expect(try store.agreements.status(of: "psb-household-check") == .suspended)
            #expect(try store.agreements.stateChanges(of: "psb-household-check").map(\.reason) == ["review"])
        }
        let revocation = CertificateRevocation(fingerprint: "f1", agencyID: "district-psb", reason: "lost", revokedAt: Self.time, revokedBy: "admin")
        let first = try opened.trail.commit { try $0.revocations.revoke(revocation) }
        let again = try opened.trail.commit { try $0.revocations.revoke(revocation) }
        #expect(first.value && !again.value)
        #expect(try opened.store.read { try $0.revocations.revocation(of: "f1") } == revocation)
        #expect(try opened.store.read { try $0.registryGeneration() } != afterAgreement)
    }

    @Test(arguments: Implementation.allCases) func dataRequestsMoveFromOpenToAnsweredOrDeclined(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        func request(_ id: String, deadline: String) -> StoredDataRequest {
            StoredDataRequest(
                id: id, agreementID: "psb-household-check", agreementVersion: 1, provider: "district-psb", consumer: "district-procuratorate",
                caseNumber: "case-1", purpose: "check", officer: "officer-1", subjects: 2, subjectPseudonyms: ["x", "y"], createdAt: Self.time,
                deadline: deadline, receipt: "receipt-" + id)
        }
        _ = try opened.trail.commit { (transaction) throws in
            try transaction.dataRequests.insert(
                request("r1", deadline: "2026-12-06T00:00:00Z"), subjectsEnvelope: "sealed-1", idempotencyKey: "k", bodySHA256: "d")
            try transaction.dataRequests.insert(request("r2", deadline: "2026-12-10T00:00:00Z"), subjectsEnvelope: "sealed-2")
        }
        try opened.store.read { (store) throws in
            #expect(try store.dataRequests.request(id: "r1") == request("r1", deadline: "2026-12-06T00:00:00Z"))
            let repeated = try store.dataRequests.request(consumer: "district-procuratorate", agreement: "psb-household-check", idempotencyKey: "k")
            #expect(repeated?.request.id == "r1" && repeated?.bodySHA256 == "d")
            #expect(try store.dataRequests.subjectsEnvelope(id: "r2") == "sealed-2")
            #expect(try store.dataRequests.overdueCount(at: "2026-12-07T00:00:00Z") == 1)
            let open = try store.dataRequests.page(of: .provider("district-psb"), openOnly: true, after: nil, limit: 10)
            #expect(open.requests.map(\.id) == ["r1", "r2"])
            #expect(try store.dataRequests.page(of: .consumer("district-psb"), openOnly: false, after: nil, limit: 10).requests.isEmpty)
        }
        _ = try opened.trail.commit { (transaction) throws in
            #expect(try transaction.dataRequests.markAnswered(id: "r1", at: Self.time))
            #expect(try !transaction.dataRequests.markAnswered(id: "r1", at: Self.time))
            #expect(try transaction.dataRequests.decline(id: "r2", reason: "no-record", noteEnvelope: "note", at: Self.time))
            #expect(
                try transaction.dataRequests.purgeSubjects(agreement: "psb-household-check", before: "2026-12-06T00:00:00Z").sorted() == ["r1", "r2"])
        }
        try opened.store.read { (store) throws in
            #expect(try store.dataRequests.request(id: "r1")?.state == .answered)
            #expect(try store.dataRequests.request(id: "r2")?.state == .declined)
            // Purged with the subjects: the note is sealed to the consumer, about them.
            #expect(try store.dataRequests.noteEnvelope(id: "r2") == nil)
            #expect(try store.dataRequests.subjectsEnvelope(id: "r2") == nil)
            #expect(try store.dataRequests.overdueCount(at: "2026-12-30T00:00:00Z") == 0)
        }
    }

    @Test(arguments: Implementation.allCases) func aSnapshotIsTheWholeStoreAsItWas(_ implementation: Implementation) throws {
        let opened = try implementation.open()
        defer { opened.remove() }
        _ = try opened.trail.commit { (transaction) throws in
            try transaction.packages.insert(Self.package("p1"), envelope: Self.envelope)
            try transaction.append(contentsOf: (0..<40).map { _ in Self.event(.inboxListed) })
        }
        #expect(opened.store.storageCondition(minimumFreeBytes: 0) == nil)
        #expect(try opened.store.integrityProblems().isEmpty)
        let copyFolder = opened.folder + "/copy"
        try FileManager.default.createDirectory(atPath: copyFolder, withIntermediateDirectories: true)
        let copyPath = GatewayDatabase.path(inDataDirectory: copyFolder)
        try opened.store.snapshot(to: copyPath)
        _ = try opened.trail.record(Self.event(.inboxListed))
        let copy = try GatewayDatabase(path: copyPath)
        #expect(try copy.read { try $0.audit.size() } == 40)
        #expect(try copy.read { try $0.audit.tree(size: 40).root() } == opened.store.read { try $0.audit.tree(size: 40).root() })
        #expect(try copy.read { try $0.packages.package(id: "p1") } == Self.package("p1"))
        #expect(throws: (any Error).self) { try opened.store.snapshot(to: copyPath) }
    }

    /// Only the SQLite implementation's folder may use GRDB: the interface another
    /// implementation is written against names no type of it.
    @Test func theInterfaceFilesImportNoDatabaseLibrary() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/SluiceStore").standardized
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        let interface = files.filter { !$0.hasPrefix("SQLite/") }
        #expect(interface.count >= 10)
        #expect(files.count > interface.count)
        for file in interface {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("import GRDB"), "\(file) imports GRDB")
        }
    }

    /// The hash of a complete subtree of `leaves`, computed from the leaves alone.
    static func subtree(_ leaves: [MerkleHash], level: Int, index: UInt64) throws -> MerkleHash {
        guard level > 0 else { return leaves[Int(index)] }
        return MerkleHash.node(try subtree(leaves, level: level - 1, index: 2 * index), try subtree(leaves, level: level - 1, index: 2 * index + 1))
    }
}
