import Foundation
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceTestSupport
import Testing

@testable import SluiceStore

/// What the PostgreSQL store promises beyond the interface: the database itself keeps the
/// trail append-only, gateways sharing it write one gap-free trail, a lost database is
/// reported as unreachable and the store recovers by itself, and the URL never shows its
/// password.
@Suite("PostgreSQL store") struct PostgresStoreTests {
    struct Database {
        let cluster: PostgresCluster
        let url: String
        let name: String

        init() throws {
            cluster = try PostgresCluster.shared.get()
            (url, name) = try cluster.makeDatabase()
        }

        func open(create: Bool = true) throws -> PostgresStore {
            try PostgresStore(location: PostgresLocation(url: url), create: create)
        }
    }

    static func event(_ package: String) -> AuditEvent {
        AuditEvent(
            actor: AuditActor(kind: .agency, id: "district-psb"), action: .submitAccepted, outcome: .success, agreementID: "psb-household-check",
            agreementVersion: 1, packageID: package)
    }

    @Test func theDatabaseItselfRefusesChangesToTheTrail() throws {
        let database = try Database()
        let store = try database.open()
        let signer = try NoteSignerKey.generate(name: "pg.sluice.example/audit")
        let trail = AuditTrail(store: store, signer: signer, policy: CheckpointPolicy(everyEntries: 2, interval: 3600))
        for index in 0..<40 { _ = try trail.commit { try $0.append(contentsOf: [Self.event("p\(index)")]) } }
        try store.write { writer in
            try writer.agencies.insertAgency(id: "district-psb", name: "PSB", roles: [.partner], at: "2026-12-05T10:00:00Z", by: "test")
        }

        // The gateway's own role: no privilege to change or remove a row.
        for statement in [
            "UPDATE audit_bundles SET entries = entries", "DELETE FROM audit_subtrees", "TRUNCATE audit_checkpoints",
            "UPDATE agencies SET name = 'x'", "DELETE FROM agencies",
        ] {
            let error = #expect(throws: (any Error).self) { try database.cluster.psql(statement, database: database.name, as: database.name) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("permission denied"), "\(statement)")
        }
        // A superuser passes privileges; the triggers still refuse.
        for statement in [
            "UPDATE audit_bundles SET entries = entries", "DELETE FROM audit_subtrees", "TRUNCATE audit_checkpoints",
            "DELETE FROM agencies", "UPDATE agencies SET name = 'x'",
        ] {
            let error = #expect(throws: (any Error).self) { try database.cluster.psql(statement, database: database.name) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("only grows"), "\(statement)")
        }
        // Through the store: a bundle out of sequence, a checkpoint that does not grow.
        #expect(throws: StoreError.self) {
            try store.write { writer in
                try PostgresAuditTail(session: (writer as! PostgresStoreReader).session)
                    .insertBundle(
                        first: 100, count: 1, time: "2026-12-05T10:00:00Z", leafHashes: Array(repeating: 0, count: 32), entries: Array("{}\n".utf8))
            }
        }
        #expect(throws: StoreError.self) {
            try store.write { writer in try writer.audit.insert(StoredCheckpoint(size: 1, note: "x", signedAt: "2026-12-05T10:00:00Z")) }
        }
        #expect(try store.integrityProblems().isEmpty)
        // A trigger dropped behind the gateway's back is reported.
        try database.cluster.psql("ALTER TABLE audit_bundles DISABLE TRIGGER audit_bundles_no_change", database: database.name)
        #expect(try store.integrityProblems().contains { $0.contains("audit_bundles_no_change") })

        let verification = try store.verifyAudit(AuditVerifier(store: store, verifiers: [signer.verifier]), keptCheckpoint: nil) { _, _ in }
        #expect(verification.size == 40)
        #expect(verification.findings.isEmpty)
    }

    @Test func aGatewayRoleThatOwnsNothingRunsTheStoreAndCannotUndoItsRules() throws {
        let database = try Database()
        _ = try database.open()
        let role = database.name + "_gw"
        try database.cluster.psql("CREATE ROLE \(role) LOGIN PASSWORD '\(role)-secret'")
        for bad in ["Robert'); DROP TABLE packages;--", "1abc", "", String(repeating: "a", count: 64)] {
            #expect(throws: StoreError.self) { try PostgresStore.grantGatewayAccess(at: PostgresLocation(url: database.url), to: bad) }
        }
        try PostgresStore.grantGatewayAccess(at: PostgresLocation(url: database.url), to: role)

        // Everything a gateway does, as that role.
        let url = "postgres://\(role):\(role)-secret@127.0.0.1:\(database.cluster.port)/\(database.name)?sslmode=disable"
        let store = try PostgresStore(location: PostgresLocation(url: url))
        let signer = try NoteSignerKey.generate(name: "pg.sluice.example/audit")
        let trail = AuditTrail(store: store, signer: signer, policy: CheckpointPolicy(everyEntries: 2, interval: 3600))
        _ = try trail.commit { (transaction) throws in
            try transaction.agencies.insertAgency(id: "district-psb", name: "PSB", roles: [.partner], at: "2026-12-05T10:00:00Z", by: "t")
            try transaction.agencies.insertCertificate(
                agencyID: "district-psb", fingerprint: "f1", der: Data([0x30, 0]), at: "2026-12-05T10:00:00Z", by: "t")
            try transaction.packages.insert(StoreConformanceTests.package("p1"), envelope: StoreConformanceTests.envelope)
            return try transaction.append(contentsOf: (0..<20).map { Self.event("p\($0)") })
        }
        #expect(try store.write { try $0.packages.acknowledge(id: "p1", at: "2026-12-05T11:00:00Z") })
        #expect(try store.takeToken(bucket: "district-psb\tpsb-household-check", perMinute: 5) == nil)
        #expect(try store.write { try $0.dataRequests.purgeSubjects(agreement: "psb-household-check", before: "2027-01-01T00:00:00Z") }.isEmpty)
        let verification = try store.verifyAudit(AuditVerifier(store: store, verifiers: [signer.verifier]), keptCheckpoint: nil) { _, _ in }
        #expect(verification.size == 20)

        // And nothing that would undo the rules: not its to change, drop or disable.
        for statement in [
            "UPDATE audit_bundles SET entries = entries", "DELETE FROM agencies", "ALTER TABLE audit_bundles DISABLE TRIGGER audit_bundles_no_change",
            "DROP TRIGGER audit_bundles_no_change ON audit_bundles",
            "GRANT UPDATE ON audit_bundles TO PUBLIC; UPDATE audit_bundles SET count = count",
        ] {
            let error = #expect(throws: (any Error).self) { try database.cluster.psql(statement, database: database.name, as: role) }
            let text = "\(error.map { "\($0)" } ?? "")"
            #expect(text.contains("permission denied") || text.contains("must be owner"), "\(statement)")
        }
    }

    @Test func gatewaysSharingTheDatabaseWriteOneGapFreeTrail() throws {
        let database = try Database()
        let signer = try NoteSignerKey.generate(name: "pg.sluice.example/audit")
        let stores = try (0..<3).map { _ in try database.open() }
        let trails = stores.map { AuditTrail(store: $0, signer: signer, policy: CheckpointPolicy(everyEntries: 7, interval: 3600)) }
        let perThread = 25
        DispatchQueue.concurrentPerform(iterations: 6) { thread in
            let trail = trails[thread % 3]
            for index in 0..<perThread {
                let count = 1 + (index % 3)
                _ = try? trail.commit { transaction in
                    try transaction.append(contentsOf: (0..<count).map { Self.event("t\(thread)-\(index)-\($0)") })
                }
            }
        }
        let expected = 6 * (0..<perThread).reduce(0) { $0 + 1 + ($1 % 3) }
        let entries = try stores[0].read { try $0.audit.entries(AuditFilter()) }
        #expect(entries.count == expected)
        #expect(entries.map(\.sequence) == (0..<UInt64(expected)).map { $0 })
        // Every commit's entries, once each: each names a package of its own.
        let packages = Set(
            entries.map { entry in (0..<6).flatMap { thread in (0..<perThread).map { "\"t\(thread)-\($0)-" } }.first { entry.json.contains($0) } })
        #expect(packages.count == 6 * perThread)
        #expect(Set(entries.map(\.json)).count == expected)
        let roots = try stores.map { store in try store.read { try $0.audit.tree(size: UInt64(expected)).root() } }
        #expect(Set(roots).count == 1)
        var accumulator = MerkleAccumulator()
        for entry in entries { try accumulator.append(MerkleHash.leaf(Data(entry.json.utf8))) }
        #expect(roots[0] == accumulator.root)
        let verification = try stores[1].verifyAudit(AuditVerifier(store: stores[1], verifiers: [signer.verifier]), keptCheckpoint: nil) { _, _ in }
        #expect(verification.findings.isEmpty)
        #expect(verification.checkpointsChecked > 10)
    }

    @Test func aLostDatabaseIsUnreachableAndTheStoreRecovers() throws {
        let database = try Database()
        let store = try database.open()
        #expect(store.storageCondition(minimumFreeBytes: 0) == nil)
        try database.cluster.psql("ALTER ROLE \(database.name) NOLOGIN")
        try database.cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(database.name)'")
        var condition: StorageCondition?
        for _ in 0..<3 {
            do { _ = try store.read { try $0.audit.size() } } catch StoreError.unavailable(let found, _) { condition = found }
        }
        #expect(condition == .unreachable)
        #expect(store.storageCondition(minimumFreeBytes: 0) == .unreachable)
        try database.cluster.psql("ALTER ROLE \(database.name) LOGIN")
        #expect(try store.read { try $0.audit.size() } == 0)
        #expect(store.storageCondition(minimumFreeBytes: 0) == nil)

        // Nothing listening: unreachable when opened, the password never in the message.
        let closed = try PostgresLocation(url: "postgres://someone:hunter2-secret@127.0.0.1:1/db?sslmode=disable")
        let error = #expect(throws: StoreError.self) { try PostgresStore(location: closed) }
        guard case .unavailable(.unreachable, _)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(!"\(error!)".contains("hunter2"))
    }

    @Test func aServerThatNeverAnswersIsUnreachableWithinItsPatience() throws {
        // A socket that listens and never accepts: the kernel completes the TCP handshake,
        // the startup message waits unread.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)
        let started = Date()
        let error = #expect(throws: StoreError.self) {
            try PostgresStore(location: PostgresLocation(url: "postgres://gw:pw@127.0.0.1:\(port)/sluice?sslmode=disable"))
        }
        guard case .unavailable(.unreachable, _)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func theServerIsVerifiedOverTLSAndAClientCertificateLogsIn() throws {
        let cluster = try PostgresCluster.shared.get()
        let (_, name) = try cluster.makeDatabase()
        let folder = NSTemporaryDirectory() + "sluice-pg-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "\(name)-secret\n".write(toFile: folder + "/password", atomically: true, encoding: .utf8)
        try "wrong\n".write(toFile: folder + "/wrong", atomically: true, encoding: .utf8)
        let base = "postgres://\(name)@localhost:\(cluster.port)/\(name)"

        // verify-full (the default) against the CA that signed the server's certificate,
        // the password from its file.
        let verified = try PostgresLocation(url: base + "?sslrootcert=\(cluster.tls)/ca.pem", passwordFile: folder + "/password")
        let store = try PostgresStore(location: verified, create: true)
        #expect(try store.read { try $0.audit.size() } == 0)
        // Another CA, or a wrong password: no connection.
        for (url, password) in [
            (base + "?sslrootcert=\(cluster.tls)/other-ca.pem", "/password"), (base + "?sslrootcert=\(cluster.tls)/ca.pem", "/wrong"),
        ] {
            #expect(throws: StoreError.self, "\(url)") { try PostgresStore(location: PostgresLocation(url: url, passwordFile: folder + password)) }
        }
        // require: encrypted, the certificate not checked.
        let unchecked = try PostgresLocation(
            url: base + "?sslmode=require&sslrootcert=\(cluster.tls)/other-ca.pem", passwordFile: folder + "/password")
        #expect(try PostgresStore(location: unchecked).read { try $0.audit.size() } == 0)

        // A role with no password, let in by its client certificate.
        let user = PostgresCluster.certificateUser
        try? cluster.psql("CREATE ROLE \(user) LOGIN")
        try? cluster.psql("CREATE DATABASE \(user) OWNER \(user)")
        let certified = try PostgresLocation(
            url:
                "postgres://\(user)@localhost:\(cluster.port)/\(user)?sslrootcert=\(cluster.tls)/ca.pem&sslcert=\(cluster.tls)/client.pem&sslkey=\(cluster.tls)/client.key"
        )
        #expect(try PostgresStore(location: certified, create: true).read { try $0.audit.size() } == 0)
        let withoutCertificate = try PostgresLocation(url: "postgres://\(user)@localhost:\(cluster.port)/\(user)?sslrootcert=\(cluster.tls)/ca.pem")
        #expect(throws: StoreError.self) { try PostgresStore(location: withoutCertificate) }
    }

    @Test func aStoreURLIsReadStrictlyAndShownWithoutItsPassword() throws {
        let location = try PostgresLocation(url: "postgres://gw:s3cret@db.example:6543/sluice?sslmode=require")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "sluice")
        #expect(location.tls == .require)
        #expect(!location.description.contains("s3cret"))
        #expect(try PostgresLocation(url: "postgres://gw@db.example/sluice").tls == .verifyFull)
        for bad in [
            "mysql://gw@db/sluice", "postgres://db.example/sluice", "postgres://gw@db.example/", "postgres://gw@db.example/sluice?sslmode=maybe",
            "postgres://gw@db.example/sluice?sslcert=/x.pem", "postgres://gw@db.example/sluice?options=-c%20x", "postgres://gw@/sluice",
            "postgres://gw@db/sluice?sslmode=disable&sslcert=/a&sslkey=/b", "postgres://gw@127.0.0.1/sluice", "postgres://gw@[::1]:5432/sluice",
        ] {
            #expect(throws: StoreError.self, "\(bad)") { try PostgresLocation(url: bad) }
        }
        let folder = NSTemporaryDirectory() + "sluice-pw-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "from-file\nignored\n".write(toFile: folder + "/password", atomically: true, encoding: .utf8)
        let fromFile = try PostgresLocation(url: "postgres://gw@db.example/sluice?sslmode=disable", passwordFile: folder + "/password")
        #expect(try fromFile.configuration().password == "from-file")
        let missing = try PostgresLocation(url: "postgres://gw@db.example/sluice?sslmode=disable", passwordFile: folder + "/none")
        #expect(throws: StoreError.self) { try missing.configuration() }
    }

    @Test func submissionRatesHoldAcrossEveryGatewayOnTheDatabase() throws {
        let database = try Database()
        let stores = try (0..<3).map { _ in try database.open() }
        // Five a minute between them, whichever gateway is asked.
        var granted = 0
        var waits: [TimeInterval] = []
        for attempt in 0..<9 {
            if let wait = try stores[attempt % 3].takeToken(bucket: "district-psb\tpsb-household-check", perMinute: 5) {
                waits.append(wait)
            } else {
                granted += 1
            }
        }
        #expect(granted == 5)
        #expect(waits.count == 4)
        #expect(waits.allSatisfy { $0 > 0 && $0 <= 12 })
        // Another agency's bucket is its own.
        #expect(try stores[0].takeToken(bucket: "district-tax\tpsb-household-check", perMinute: 5) == nil)
    }

    @Test func placeholdersAreNumberedInOrderOrByPosition() {
        #expect(PostgresSession.numbered("a = ? AND b IN (?, ?)") == "a = $1 AND b IN ($2, $3)")
        #expect(PostgresSession.numbered("x <= ?1 AND y < ?2 OR z = ?1") == "x <= $1 AND y < $2 OR z = $1")
        #expect(PostgresSession.numbered("'它' || ?") == "'它' || $1")
    }
}
