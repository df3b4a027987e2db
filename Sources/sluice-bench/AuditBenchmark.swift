import ArgumentParser
import Foundation
import SluiceAudit
import SluiceCore
import SluiceStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The audit trail on a real database file: durable single appends next to the disk's
/// own fsync rate, batched appends, full verification, proof times and bytes per entry.
struct AuditBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Audit trail append, verify and proof speed.")

    @Option(help: "Entries in the log that verify and proofs run on.")
    var entries = 1_000_000

    @Option(help: "Entries per transaction in the batched run.")
    var batch = 1000

    @Option(help: "Folder for the database (its disk is what is measured).")
    var folder = NSTemporaryDirectory()

    @Option(help: "Times the whole log is verified (each run's speed is printed).")
    var verifyRounds = 1

    @Flag(help: "A few seconds' run that only checks the benchmark still works.")
    var quick = false

    @Option(help: "An empty PostgreSQL database to run on instead of an SQLite file: postgres://user:password@host:port/database?sslmode=….")
    var postgres: String?

    @Option(help: "With --postgres: stores (as gateways would be) appending single entries at once, each from its own thread.")
    var writers = 3

    func run() throws {
        let count = quick ? 20_000 : entries
        let singles = quick ? 50 : 500
        let path = folder + "/sluice-bench-audit-\(getpid())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let fsyncRate = try Self.fsyncsPerSecond(in: path, count: singles)
        print(String(format: "disk: %.0f write+fsync per second (4 KiB, same folder)", fsyncRate))

        let sqlite = postgres == nil ? try GatewayDatabase(path: path + "/" + GatewayDatabase.fileName, create: true) : nil
        let database: any GatewayStore = try sqlite ?? PostgresStore(location: PostgresLocation(url: postgres!), create: true)
        if postgres != nil { print("store: PostgreSQL (\(try PostgresLocation(url: postgres!)))") }
        let trail = AuditTrail(
            store: database, signer: try NoteSignerKey.generate(name: "bench.sluice.example/audit"),
            policy: CheckpointPolicy(everyEntries: 10_000, interval: 3600))
        let single = try MaskBenchmark.time {
            for number in 0..<singles { try trail.record(Self.event(number)) }
        }
        print(
            String(
                format: "durable single appends: %.0f entries/s (one transaction and fsync each; %.2f× the disk's fsync rate)",
                Double(singles) / single, (Double(singles) / single) / fsyncRate))

        // Only the commits are timed: making the events (ids, details) is the caller's work.
        var written = singles
        var batched = 0.0
        while written < count {
            let end = min(count, written + batch)
            let events = (written..<end).map(Self.event)
            batched += try MaskBenchmark.time {
                _ = try trail.commit { transaction in
                    try transaction.append(contentsOf: events)
                }
            }
            written = end
        }
        print(String(format: "batched appends (%d per transaction, durable commits): %.0f entries/s", batch, Double(count - singles) / batched))
        try trail.checkpoint()
        // Verification and proofs are measured on a settled file, as an officer meets it:
        // not while the kernel is still writing back the gigabyte just appended.
        try sqlite?.checkpointWriteAheadLog()
        sync()

        for _ in 0..<max(1, verifyRounds) {
            var verification: AuditVerification?
            let verifying = try MaskBenchmark.time {
                verification = try AuditVerifier(store: database, verifiers: [trail.signer.verifier]).verify()
            }
            guard let verification, verification.passed else { throw ValidationError("the benchmark's own log failed verification") }
            print(
                String(
                    format: "verify: %.0f entries/s (%d entries, %d checkpoints, %.2f s)", Double(count) / verifying, count,
                    verification.checkpointsChecked, verifying))
        }

        let size = UInt64(count)
        var generator = SystemRandomNumberGenerator()
        let rounds = quick ? 200 : 2000
        var inclusions: [Double] = []
        var consistencies: [Double] = []
        try database.read { store in
            let tree = try store.audit.tree(size: size)
            for _ in 0..<rounds {
                let index = UInt64.random(in: 0..<size, using: &generator)
                inclusions.append(try MaskBenchmark.time { _ = try tree.inclusionProof(index: index) })
                let old = UInt64.random(in: 1..<size, using: &generator)
                consistencies.append(try MaskBenchmark.time { _ = try tree.consistencyProof(from: old) })
            }
        }
        // The maximum alone mostly measures the host (one descheduling is a millisecond):
        // the tail and how many proofs passed 1 ms say more.
        func summary(_ times: [Double]) -> String {
            let sorted = times.sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
            return String(
                format: "mean %.0f µs, p99 %.0f µs, max %.0f µs, %d over 1 ms", mean * 1e6, p99 * 1e6, sorted.last! * 1e6,
                sorted.filter { $0 > 1e-3 }.count)
        }
        print("proofs over \(count) entries (\(rounds) each): inclusion \(summary(inclusions)); consistency \(summary(consistencies))")

        // Queries read bundles and test each entry: one package's entries means a scan of
        // the whole log; the latest 100 (`tail`) reads only the last bundles.
        try database.read { store in
            let log = store.audit
            let sample = try log.entry(at: UInt64.random(in: 0..<size, using: &generator))
            let package = sample.flatMap { entry in Array(entry.json.utf8).withUnsafeBytes { AuditEntryIndex(json: $0)?.package } }
            var matched = 0
            let scan = try MaskBenchmark.time { matched = try log.entries(AuditFilter(package: package)).count }
            let tail = try MaskBenchmark.time { _ = try log.entries(AuditFilter(limit: 100, newestFirst: true)) }
            print(
                String(
                    format: "queries: one package among all entries %.0f ms (%d found, whole log scanned); latest 100 entries %.2f ms", scan * 1e3,
                    matched, tail * 1e3))
        }

        // The console's overview adds up every entry of its period: here, the whole log.
        try database.read { store in
            var summary = AuditSummary()
            let seconds = try MaskBenchmark.time {
                try store.audit.forEachEntry(matching: AuditFilter(since: Date(timeIntervalSince1970: 0))) { summary.add(json: $0.json) }
            }
            guard summary.entries == count, summary.delivered.packages == count - count / 10 else {
                throw ValidationError("the overview's summary miscounted the benchmark's log")
            }
            print(String(format: "overview summary: %.0f entries/s (%d entries in %.2f s)", Double(count) / seconds, count, seconds))
        }

        // Last: it adds entries the checks above do not expect.
        if let postgres {
            // Several gateways' single appends at once: what the serialized tail takes.
            let stores = try (0..<writers).map { _ in try PostgresStore(location: PostgresLocation(url: postgres)) }
            let trails = stores.map { AuditTrail(store: $0, signer: trail.signer, policy: trail.policy) }
            let each = singles
            let failures = Mutex(0)
            let seconds = try MaskBenchmark.time {
                DispatchQueue.concurrentPerform(iterations: writers) { writer in
                    for number in 0..<each where (try? trails[writer].record(Self.event(number))) == nil { failures.withLock { $0 += 1 } }
                }
            }
            print(
                String(
                    format: "concurrent single appends from %d stores: %.0f entries/s (%d failed)", writers, Double(writers * each) / seconds,
                    failures.withLock { $0 }))
        }
        // The write-ahead log was moved into the file before verifying; only reads since.
        guard let sqlite else { return }
        let bytes = (try FileManager.default.attributesOfItem(atPath: sqlite.path)[.size] as? NSNumber)?.intValue ?? 0
        print(
            String(
                format: "database: %.1f MB, %.0f bytes per entry (entry JSON, leaf and subtree hashes, checkpoints)", Double(bytes) / 1e6,
                Double(bytes) / Double(count)))
    }

    static let actor = AuditActor(kind: .agency, id: "district-psb", certificateFingerprint: String(repeating: "5e", count: 32))

    /// A realistic entry: an accepted submission by a partner agency.
    static func event(_ number: Int) -> AuditEvent {
        AuditEvent(
            actor: actor,
            action: number % 10 == 0 ? .submitRejected : .submitAccepted, outcome: number % 10 == 0 ? .rejected : .success,
            agreementID: "psb-household-check", agreementVersion: 3, packageID: TimeOrderedID.make(),
            reason: number % 10 == 0 ? "2 records failed validation" : nil, requestID: "req-\(number)",
            remoteAddress: "10.20.30.40", details: ["records": .count(100), "fields_dropped": .names(["remarks"])])
    }

    /// How many 4 KiB write + fsync rounds the disk under `folder` does per second.
    static func fsyncsPerSecond(in folder: String, count: Int) throws -> Double {
        let path = folder + "/fsync-probe"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw ValidationError("cannot write in \(folder)") }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        let seconds = MaskBenchmark.time {
            for round in 0..<count {
                _ = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 4096, off_t(round % 64) * 4096) }
                fsync(descriptor)
            }
        }
        return Double(count) / seconds
    }
}
